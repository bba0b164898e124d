/* The cases behind one ranked unit's figures for a month, as published and as counted now: this
   page's query string (month, kind, rank_by, unit) is the drill-down API's. */
(function () {
  "use strict";

  const D = window.Dashboard;
  const { config, L } = D;

  const query = new URLSearchParams(window.location.search);
  let page = Math.max(1, parseInt(query.get("page") || "1", 10) || 1);
  query.delete("page");

  function countedIn(figures) {
    return figures.map((figure) => (figure === "response" ? L.countedInResponse : L.countedInCallback)).join(", ");
  }

  function yesNo(value) {
    return value === null || value === undefined ? "—" : value ? L.yes : L.no;
  }

  function fillSide(side, data) {
    const listed = data[side];
    const section = D.byTestId(`side-${side}`);
    section.hidden = !listed;
    if (!listed) return 1;
    const countNode = D.setText(`side-${side}-count`, D.format(L.casesShown, { count: D.number(listed.count), counted: D.number(listed.counted) }));
    countNode.dataset.count = listed.count;
    countNode.dataset.counted = listed.counted;
    const other = side === "published" ? "in_live" : "in_published";
    D.fillTable(
      `side-${side}-table`,
      listed.results.map((c) => [
        { content: `#${c.id}`, num: true },
        D.el("a", { href: `${config.casePages}${c.id}/`, "data-testid": "case-page-link" }, c.title),
        c.state_label,
        c.district || "",
        c.lead_bureau || "",
        countedIn(c.counted_in),
        yesNo(c[other]),
      ]),
      (index) => ({ "data-testid": `${side}-case`, "data-case-id": listed.results[index].id, "data-other": String(listed.results[index][other]) })
    );
    if (!listed.results.length) D.byTestId(`side-${side}-table`).tBodies[0].rows[0].cells[0].textContent = L.noCases;
    return listed.pages;
  }

  async function load() {
    D.showStatus(L.loading);
    const asked = new URLSearchParams(query);
    asked.set("page", page);
    const data = await D.getJSON(`${config.api.rankingCases}?${asked}`);
    D.setText("ranking-unit", data.unit.label);
    D.setText("ranking-month", data.month);
    const pages = Math.max(fillSide("published", data), fillSide("live", data));
    D.setText("page-info", D.format(L.pageOf, { page, pages }));
    const previous = document.getElementById("page-previous");
    const next = document.getElementById("page-next");
    previous.textContent = L.previousPage;
    next.textContent = L.nextPage;
    previous.disabled = page <= 1;
    next.disabled = page >= pages;
    const shown = new URLSearchParams(query);
    if (page > 1) shown.set("page", page);
    window.history.replaceState(null, "", `${window.location.pathname}?${shown}`);
    D.showStatus("");
  }

  async function main() {
    document.body.dataset.loaded = "false";
    const turn = (step) => async () => {
      page += step;
      try {
        await load();
      } catch (error) {
        D.showStatus(error.message, true);
      }
    };
    document.getElementById("page-previous").addEventListener("click", turn(-1));
    document.getElementById("page-next").addEventListener("click", turn(1));
    try {
      await load();
    } catch (error) {
      D.showStatus(error.message, true);
    }
    document.body.dataset.loaded = "true";
  }

  main();
})();
