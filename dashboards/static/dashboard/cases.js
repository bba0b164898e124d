/* The cases behind a dashboard figure: this page's query string is the case API's filters. */
(function () {
  "use strict";

  const D = window.Dashboard;
  const { config, L, el } = D;
  const PAGE_SIZE = 50;

  const filters = new URLSearchParams(window.location.search);
  // A district's manager sees their district's cases, whatever the link says.
  if (config.scopeDistrict) filters.set("district", config.scopeDistrict);
  let page = Math.max(1, parseInt(filters.get("page") || "1", 10) || 1);
  filters.delete("page");
  filters.delete("page_size");

  function valueText(key, value, names) {
    if (key === "state") return config.states[value] || value;
    if (key === "urgency") return config.urgencies[value] || value;
    if (key === "satisfaction") return config.satisfactions[value] || value;
    if (key === "resolved" || key === "overdue") return value === "true" ? L.yes : L.no;
    if (key === "district") return names.districts[value] || value;
    if (key === "lead_bureau" || key === "bureau") return names.bureaus[value] || value;
    if (key === "measure") return names.measures[value] || value;
    return value;
  }

  function showFilters(names) {
    const keys = [...new Set(filters.keys())];
    D.fill(
      "case-filters",
      keys.map((key) =>
        el(
          "li",
          { "data-filter": key },
          `${config.filterLabels[key] || key}: `,
          el("strong", {}, filters.getAll(key).map((value) => valueText(key, value, names)).join(" / "))
        )
      )
    );
  }

  function localDate(timestamp) {
    // The API gives times in Shanghai's offset; the date and the minute are what a reader needs.
    return timestamp ? `${timestamp.slice(0, 10)} ${timestamp.slice(11, 16)}` : "";
  }

  async function load(names) {
    D.showStatus(L.loading);
    const query = new URLSearchParams(filters);
    query.set("page", page);
    query.set("page_size", PAGE_SIZE);
    const data = await D.getJSON(`${config.api.caseList}?${query}`);
    const countNode = D.byTestId("case-count");
    countNode.textContent = D.number(data.count);
    countNode.dataset.count = data.count;
    D.fillTable(
      "case-table",
      data.results.map((c) => [
        { content: `#${c.id}`, num: true },
        D.el("a", { href: `${config.casePages}${c.id}/`, "data-testid": "case-page-link" }, c.title),
        c.centre_name || "",
        names.districts[c.district] || c.district || "",
        c.measure_number ? D.format(L.measureNumber, { number: c.measure_number }) : "",
        names.bureaus[c.lead_bureau] || c.lead_bureau || "",
        config.states[c.state] || c.state,
        config.urgencies[c.urgency] || c.urgency,
        localDate(c.created_at),
      ]),
      (index) => ({ "data-testid": "case-row", "data-case-id": data.results[index].id })
    );
    if (!data.results.length) D.byTestId("case-table").tBodies[0].rows[0].cells[0].textContent = L.noCases;

    const pages = Math.max(1, Math.ceil(data.count / PAGE_SIZE));
    D.setText("page-info", D.format(L.pageOf, { page, pages }));
    const previous = document.getElementById("page-previous");
    const next = document.getElementById("page-next");
    previous.textContent = L.previousPage;
    next.textContent = L.nextPage;
    previous.disabled = !data.previous;
    next.disabled = !data.next;
    const shown = new URLSearchParams(filters);
    if (page > 1) shown.set("page", page);
    window.history.replaceState(null, "", `${window.location.pathname}?${shown}`);
    D.showStatus("");
  }

  async function main() {
    document.body.dataset.loaded = "false";
    const names = { districts: {}, bureaus: {}, measures: {} };
    try {
      const [districts, bureaus] = await Promise.all([
        D.getAll(D.withQuery(config.api.districts, { page_size: 200 })),
        D.getAll(D.withQuery(config.api.bureaus, { page_size: 200 })),
      ]);
      for (const d of districts) names.districts[d.code] = d.name;
      for (const b of bureaus) names.bureaus[b.code] = b.name;
      if (filters.get("measure")) {
        const measure = await D.getJSON(`${config.api.measures}${encodeURIComponent(filters.get("measure"))}/`);
        names.measures[measure.id] = `${D.format(L.measureNumber, { number: measure.number })} ${measure.title}`;
      }
    } catch (error) {
      // Names are a courtesy: the codes still say which filter is set.
    }
    showFilters(names);
    const turn = (step) => async () => {
      page += step;
      try {
        await load(names);
      } catch (error) {
        D.showStatus(error.message, true);
      }
    };
    document.getElementById("page-previous").addEventListener("click", turn(-1));
    document.getElementById("page-next").addEventListener("click", turn(1));
    try {
      await load(names);
    } catch (error) {
      D.showStatus(error.message, true);
    }
    document.body.dataset.loaded = "true";
  }

  main();
})();
