/* The managers' dashboard: figures from /api/dashboard/... drawn as charts and tables.

   Every chart canvas carries what it draws once drawn: data-labels (the x axis), data-values (an
   array for a chart of one series, an object of arrays by series key otherwise) and data-rendered,
   so that what the page shows can be checked against the API. */
(function () {
  "use strict";

  const D = window.Dashboard;
  const { config, L, el, fill, fillTable, number, setText } = D;
  const params = config.params;
  const charts = {};
  const PALETTE = ["#1f5fa8", "#d9822b", "#2e8b57", "#b03a48", "#7b5ea7", "#3a9fbf", "#8c8c3a", "#c06c84"];

  function pick(names) {
    const picked = {};
    for (const name of names) if (params[name]) picked[name] = params[name];
    return picked;
  }

  // --- Drill-down: a figure's cases, as the case API's filters (docs/dashboards.md) -------------

  function baseCaseFilters() {
    return {
      district: config.scopeDistrict || params.district,
      lead_bureau: params.bureau,
      measure: params.measure,
      urgency: params.urgency,
    };
  }

  function casesHref(filters) {
    return D.withQuery(config.casesPage, { ...baseCaseFilters(), ...filters });
  }

  /* A count; a link to its cases where the case filters can express them. */
  function count(value, filters, testid) {
    const text = number(value);
    if (!filters || value === null || value === undefined) {
      return el("span", { "data-testid": testid, "data-count": value }, text);
    }
    return el(
      "a",
      { href: casesHref(filters), title: L.showCases, "data-testid": testid, "data-count": value, class: "drill" },
      text
    );
  }

  function logged(period) {
    return { created_after: period.start, created_before: period.end };
  }

  // Which cases a rate counts, where the case filters can say so (docs/dashboards.md, "What the
  // figures count"). The response rate counts the bureaus' assignments, not cases: no case list.
  const callbacksIn = (period) => ({ callback_after: period.start, callback_before: period.end });
  const RATE_CASES = {
    response: null,
    resolution: {
      numerator: (period) => ({ ...callbacksIn(period), resolved: "true" }),
      denominator: callbacksIn,
    },
    satisfaction: {
      numerator: (period) => ({ ...callbacksIn(period), satisfaction: ["satisfied", "basically_satisfied"] }),
      denominator: (period) => ({ ...callbacksIn(period), satisfaction: Object.keys(config.satisfactions) }),
    },
  };

  // --- Formatting ---------------------------------------------------------------------------------

  function rateText(rate) {
    if (!rate) return L.noData;
    return `${rate.display} (${number(rate.numerator)}/${number(rate.denominator)})`;
  }

  function rateCell(rate, testid) {
    return { content: el("span", { "data-testid": testid, title: rate ? `${rate.numerator}/${rate.denominator}` : null }, rateText(rate)), num: true };
  }

  function percent(rate) {
    return rate && rate.rate !== null && rate.rate !== undefined ? Math.round(rate.rate * 1000) / 10 : null;
  }

  function signed(value) {
    if (value === null || value === undefined) return L.noData;
    return value > 0 ? `+${number(value)}` : number(value);
  }

  // --- Charts ---------------------------------------------------------------------------------------

  function drawChart(id, type, labels, series, options) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    if (!window.Chart) {
      const box = canvas.closest(".chart-box");
      if (box) box.replaceWith(el("p", { class: "muted", "data-testid": `${id}-unavailable` }, L.chartsUnavailable));
      return;
    }
    if (charts[id]) charts[id].destroy();
    const datasets = series.map((one, index) => ({
      key: one.key,
      label: one.label,
      data: one.data,
      backgroundColor: one.color || PALETTE[index % PALETTE.length],
      borderColor: one.color || PALETTE[index % PALETTE.length],
      borderWidth: type === "line" ? 2 : 0,
      maxBarThickness: 56,
      spanGaps: false,
      ...(one.extra || {}),
    }));
    const chart = new window.Chart(canvas, {
      type,
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        ...(options || {}),
      },
    });
    charts[id] = chart;
    const drawn = chart.data.datasets;
    canvas.dataset.labels = JSON.stringify(chart.data.labels);
    canvas.dataset.values = JSON.stringify(
      drawn.length === 1 ? drawn[0].data : Object.fromEntries(drawn.map((d) => [d.key, d.data]))
    );
    canvas.dataset.rendered = "true";
  }

  const countAxis = { y: { beginAtZero: true, ticks: { precision: 0 } } };
  const percentAxis = { y: { beginAtZero: true, suggestedMax: 100, ticks: { callback: (v) => `${v}%` } } };

  // Printing: draw the charts at a size that fits the page, then back to the screen's.
  window.addEventListener("beforeprint", () => Object.values(charts).forEach((chart) => chart.resize(640, 260)));
  window.addEventListener("afterprint", () => Object.values(charts).forEach((chart) => chart.resize()));

  // --- Sections -----------------------------------------------------------------------------------

  function renderCases(data) {
    const period = data.period;
    setText("period-text", `${period.start} – ${period.end}`);

    for (const key of ["response", "resolution", "satisfaction"]) {
      const rate = data.rates[key];
      const drill = RATE_CASES[key];
      setText(`rate-${key}-display`, rate.display);
      const card = D.byTestId(`rate-${key}`);
      card.classList.toggle("no-data", rate.rate === null);
      card.dataset.rate = rate.rate === null ? "" : rate.rate;
      D.byTestId(`rate-${key}-numerator`).replaceWith(
        count(rate.numerator, drill && drill.numerator(period), `rate-${key}-numerator`)
      );
      D.byTestId(`rate-${key}-denominator`).replaceWith(
        count(rate.denominator, drill && drill.denominator(period), `rate-${key}-denominator`)
      );
      setText(`rate-${key}-definition`, (data.definitions || {})[key] || "");
    }

    const t = data.timeliness;
    fill("timeliness-answered", count(t.answered, { answered_after: period.start, answered_before: period.end }, "answered-count"));
    setText("timeliness-answered-on-time", rateText(t.answered_on_time));
    fill("timeliness-overdue-now", count(t.overdue_now, { overdue: "true" }, "overdue-now"));
    setText("timeliness-extensions-granted", number(t.extensions_granted));
    setText("timeliness-supervisions-opened", number(t.supervisions_opened));
    setText("timeliness-returns", number(t.returns));
    setText("timeliness-reopen", rateText(t.reopen));

    const v = data.volume;
    fill("volume-logged", count(v.logged, logged(period), "logged-count"));
    fillTable(
      "table-by-state",
      v.by_state.map((row) => [row.label, { content: count(row.count, { ...logged(period), state: row.state }, `by-state-${row.state}`), num: true }])
    );
    drawChart("chart-by-state", "bar", v.by_state.map((row) => row.label), [
      { key: "count", label: L.count, data: v.by_state.map((row) => row.count) },
    ], { scales: countAxis });
    fillTable(
      "table-by-measure",
      v.by_measure.map((row) => [row.label, { content: count(row.count, { ...logged(period), measure: row.id }, `by-measure-${row.id}`), num: true }])
    );
    drawChart("chart-by-measure", "bar", v.by_measure.map((row) => row.label), [
      { key: "count", label: L.count, data: v.by_measure.map((row) => row.count) },
    ], { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } });
    fillTable(
      "table-by-district",
      v.by_district.map((row) => [row.label, { content: count(row.count, { ...logged(period), district: row.code }, `by-district-${row.code}`), num: true }])
    );
    drawChart("chart-by-district", "bar", v.by_district.map((row) => row.label), [
      { key: "count", label: L.count, data: v.by_district.map((row) => row.count) },
    ], { scales: countAxis });

    for (const [key, testid] of [["answer_days", "durations-answer"], ["close_days", "durations-close"]]) {
      const row = D.byTestId(testid);
      const figures = data.durations[key];
      const cells = row.querySelectorAll("td");
      cells[0].textContent = number(figures.count);
      cells[1].textContent = figures.count ? number(figures.median) : L.noData;
      cells[2].textContent = figures.count ? number(figures.p90) : L.noData;
    }

    const months = data.trend.map((row) => row.month);
    drawChart("chart-trend", "line", months, [
      { key: "logged", label: L.casesLogged, data: data.trend.map((row) => row.logged) },
      { key: "answered", label: L.casesAnswered, data: data.trend.map((row) => row.answered) },
      { key: "closed", label: L.casesClosed, data: data.trend.map((row) => row.closed) },
    ], { scales: countAxis });
    drawChart("chart-trend-rates", "line", months, [
      { key: "response", label: L.responseRate, data: data.trend.map((row) => percent(row.response)) },
      { key: "resolution", label: L.resolutionRate, data: data.trend.map((row) => percent(row.resolution)) },
      { key: "satisfaction", label: L.satisfactionRate, data: data.trend.map((row) => percent(row.satisfaction)) },
    ], { scales: percentAxis });
    fillTable(
      "table-trend",
      data.trend.map((row) => {
        const month = monthRange(row.month);
        return [
          { content: row.month, head: true },
          { content: count(row.logged, { created_after: month.start, created_before: month.end }, `trend-logged-${row.month}`), num: true },
          { content: count(row.answered, { answered_after: month.start, answered_before: month.end }, `trend-answered-${row.month}`), num: true },
          { content: count(row.closed, { closed_after: month.start, closed_before: month.end }, `trend-closed-${row.month}`), num: true },
          rateCell(row.response),
          rateCell(row.resolution),
          rateCell(row.satisfaction),
        ];
      })
    );
  }

  function monthRange(month) {
    const [year, number_] = month.split("-").map(Number);
    const last = new Date(Date.UTC(year, number_, 0)).getUTCDate();
    return { start: `${month}-01`, end: `${month}-${String(last).padStart(2, "0")}` };
  }

  function rankingRows(rows, kind) {
    return rows.map((row) => [
      { content: row.rank === null || row.rank === undefined ? "—" : number(row.rank), num: true },
      row.label,
      rateCell(row.response),
      rateCell(row.resolution),
      rateCell(row.satisfaction),
      { content: row.score === null || row.score === undefined ? L.noData : row.score.toFixed(2), num: true },
      { content: number(row.returns), num: true },
      {
        content: count(row.overdue_now, { overdue: "true", ...unitFilter(row, kind) }, `${kind}-overdue-${row.code}`),
        num: true,
      },
    ]);
  }

  // The case filter that narrows the case list to one ranked unit's cases.
  function unitFilter(row, kind) {
    if (kind === "bureau") return { lead_bureau: row.code };
    if (kind === "district") return { district: row.code };
    return { measure: row.id };
  }

  function renderRankings(data) {
    setText("ranking-rule", data.rule || "");
    for (const [kind, rows] of [["bureau", data.bureaus], ["district", data.districts], ["measure", data.measures || []]]) {
      fillTable(`table-ranking-${kind}s`, rankingRows(rows, kind), (i) => ({ "data-code": rows[i].code }));
    }
  }

  // --- Fair figures: returns as ruled, rates without the excluded cases, supervisions ------------

  function renderFairness(data) {
    setText("fairness-reached", rateText(data.callbacks_reached));
    fillTable(
      "table-fairness",
      data.bureaus.map((row) => [
        row.label,
        rateCell(row.rates.response, `fair-all-response-${row.code}`),
        rateCell(row.rates.resolution),
        rateCell(row.rates.satisfaction),
        rateCell(row.rates_with_exclusions.response, `fair-without-response-${row.code}`),
        rateCell(row.rates_with_exclusions.resolution),
        rateCell(row.rates_with_exclusions.satisfaction),
        { content: number(row.returns.justified), num: true },
        { content: number(row.returns.unjustified), num: true },
        { content: number(row.returns.awaiting), num: true },
        { content: number(row.supervisions.opened), num: true },
        { content: number(row.supervisions.replied), num: true },
        { content: number(row.supervisions.replied_on_time), num: true },
        { content: number(row.supervisions.escalated), num: true },
      ]),
      (i) => ({ "data-code": data.bureaus[i].code })
    );
    fillTable(
      "table-excluded",
      data.excluded_cases.map((row) => [
        { content: `#${row.case}`, num: true },
        row.title,
        row.bureau,
        row.reason,
        row.decision_note,
      ])
    );
  }

  // --- Published rankings: a month's ranking as frozen, beside the same ranking now ---------------

  function localDateTime(timestamp) {
    // The API gives times in Shanghai's offset; the day and the minute are what a reader needs.
    return timestamp ? `${timestamp.slice(0, 10)} ${timestamp.slice(11, 16)}` : "";
  }

  function publishedStatus(data) {
    if (!data.published) return L.notPublished;
    const at = localDateTime(data.published.published_at);
    const by = data.published.published_by;
    return by ? D.format(L.publishedBy, { at, name: by }) : D.format(L.publishedByJob, { at });
  }

  function sideCells(side, testid) {
    if (!side) return [0, 1, 2, 3].map(() => ({ content: "—", num: true }));
    return [
      { content: el("span", { "data-testid": `${testid}-rank` }, side.rank === null ? "—" : number(side.rank)), num: true },
      rateCell(side.response, `${testid}-response`),
      rateCell(side.resolution, `${testid}-resolution`),
      rateCell(side.satisfaction, `${testid}-satisfaction`),
    ];
  }

  function renderPublished(data) {
    setText("published-status", publishedStatus(data));
    setText("published-rule", data.published ? data.published.rule : data.rule);
    fillTable(
      "table-published",
      data.units.map((unit) => [
        unit.label,
        ...sideCells(unit.published, `published-${unit.code}`),
        ...sideCells(unit.live, `live-${unit.code}`),
        unit.differs === null ? "—" : unit.differs ? L.changed : L.unchanged,
        {
          content: el(
            "a",
            {
              href: D.withQuery(config.rankingCasesPage, {
                month: data.month,
                kind: data.unit_kind,
                rank_by: data.rank_by,
                unit: unit.code,
              }),
              class: "drill",
              "data-testid": `published-cases-${unit.code}`,
            },
            L.showRankingCases
          ),
          class: "no-print",
        },
      ]),
      (i) => ({ "data-code": data.units[i].code, "data-differs": String(data.units[i].differs) })
    );
    for (const testid of ["published-month", "published-kind"]) {
      const control = D.byTestId(testid);
      if (control) control.onchange = () => D.byTestId("filters").submit();
    }
  }

  function renderContacts(data, districtNames) {
    setText("contacts-coverage", rateText(data.coverage));
    setText("contacts-overdue", number(data.overdue_contacts));
    setText("contacts-as-of", data.as_of || "");
    fillTable("table-contacts-by-district", data.by_district.map((row) => [
      row.label,
      rateCell(row.coverage),
      { content: number(row.overdue), num: true },
    ]));
    drawChart("chart-contacts", "bar", data.by_district.map((row) => row.label), [
      { key: "coverage", label: L.coverage, data: data.by_district.map((row) => percent(row.coverage)) },
    ], { scales: percentAxis });
    fillTable("table-contacts-by-commissioner", data.by_commissioner.map((row) => [
      row.label,
      districtNames[row.district] || row.district || "",
      rateCell(row.coverage),
      { content: number(row.overdue), num: true },
    ]));
  }

  function renderAssessments(data) {
    const picker = D.byTestId("filter-cycle");
    const cycles = data.cycles || [];
    picker.replaceChildren(...cycles.map((cycle) => el("option", { value: cycle.id }, cycle.name)));
    if (data.cycle) picker.value = String(data.cycle.id);
    picker.disabled = !cycles.length;
    picker.onchange = () => D.byTestId("filters").submit();

    if (!data.cycle) {
      setText("assessment-cycle", L.noCycle);
      setText("assessment-period", "");
    } else {
      setText("assessment-cycle", data.cycle.name);
      setText("assessment-period", `${data.cycle.period_start} – ${data.cycle.period_end}`);
    }
    const classes = data.classes_by_district || [];
    const classKeys = [["leading", L.leading], ["growing", L.growing], ["needs_attention", L.needsAttention], ["unclassified", L.unclassified]];
    drawChart(
      "chart-classes",
      "bar",
      classes.map((row) => row.label),
      classKeys.map(([key, label]) => ({ key, label, data: classes.map((row) => row[key]) })),
      { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    );
    fillTable("table-classes", classes.map((row) => [
      row.label,
      ...classKeys.map(([key]) => ({ content: number(row[key]), num: true })),
      { content: number(row.total), num: true },
    ]));
    fillTable("table-indicators", (data.indicator_totals || []).map((row) => [
      row.label,
      { content: number(row.total), num: true },
      { content: number(row.previous), num: true },
      { content: signed(row.change), num: true },
    ]));
    fillTable("table-findings", (data.findings_by_bureau || []).map((row) => [
      row.label,
      { content: number(row.total), num: true },
      { content: number(row.acknowledged), num: true },
      { content: number(row.acted_on), num: true },
    ]));
    fillTable("table-eligible", (data.eligible_centres || []).map((row) => [
      row.label,
      row.measure || "",
      { content: number(row.count), num: true },
    ]));
  }

  // --- Pickers --------------------------------------------------------------------------------------

  function fillPicker(testid, rows, valueOf, labelOf) {
    const picker = D.byTestId(testid);
    if (!picker) return;
    const selected = picker.dataset.selected || "";
    const first = picker.options[0];
    picker.replaceChildren(first, ...rows.map((row) => el("option", { value: valueOf(row) }, labelOf(row))));
    picker.value = selected;
  }

  async function loadPickers() {
    const [districts, bureaus, measures] = await Promise.all([
      D.getAll(D.withQuery(config.api.districts, { page_size: 200 })),
      D.getAll(D.withQuery(config.api.bureaus, { page_size: 200 })),
      D.getAll(D.withQuery(config.api.measures, { programme: "shanghai_2024", page_size: 200 })),
    ]);
    fillPicker("filter-district", districts, (d) => d.code, (d) => d.name);
    fillPicker("filter-bureau", bureaus, (b) => b.code, (b) => b.name);
    fillPicker("filter-measure", measures, (m) => m.id, (m) => `${D.format(L.measureNumber, { number: m.number })} ${m.title}`);
    return Object.fromEntries(districts.map((d) => [d.code, d.name]));
  }

  // --- Loading --------------------------------------------------------------------------------------

  async function main() {
    const errors = [];
    const section = (id, promise, render) =>
      promise.then(render).catch((error) => {
        errors.push(error.message);
        const node = D.byTestId(id);
        if (node) {
          node.classList.add("failed");
          node.prepend(el("p", { class: "error", "data-testid": `${id}-error` }, error.message));
        }
      });

    D.showStatus(L.loading);
    document.body.dataset.loaded = "false";
    let districtNames = {};
    try {
      districtNames = await loadPickers();
    } catch (error) {
      errors.push(error.message);
    }
    const figureParams = pick(["from", "to", "district", "bureau", "measure", "urgency"]);
    await Promise.all([
      section("section-rates", D.getJSON(D.withQuery(config.api.cases, figureParams)), renderCases),
      section("section-rankings", D.getJSON(D.withQuery(config.api.rankings, figureParams)), renderRankings),
      section("section-fairness", D.getJSON(D.withQuery(config.api.fairness, figureParams)), renderFairness),
      section(
        "section-published",
        D.getJSON(D.withQuery(config.api.publishedRankings, { month: params.ranking_month, kind: params.ranking_kind })),
        renderPublished
      ),
      section("section-contacts", D.getJSON(D.withQuery(config.api.contacts, pick(["district"]))), (data) =>
        renderContacts(data, districtNames)
      ),
      section("section-assessments", D.getJSON(D.withQuery(config.api.assessments, pick(["cycle", "district"]))), renderAssessments),
    ]);
    D.showStatus([...new Set(errors)].join(" "), errors.length > 0);
    document.body.dataset.loaded = "true";
  }

  main();
})();
