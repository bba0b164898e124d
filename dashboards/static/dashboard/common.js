/* Shared by the managers' pages: the configuration the page renders, the API with the
   browser's session, and a few DOM helpers. No build step: plain modern JavaScript. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("dashboard-config").textContent);
  const L = config.labels;
  const language = document.documentElement.lang || "zh-hans";
  const numberFormat = new Intl.NumberFormat(language);

  function format(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, (match, key) => (key in values ? values[key] : match));
  }

  function sameOrigin(url) {
    // DRF's next/previous links are absolute; keep them on the page's own origin and scheme.
    const parsed = new URL(url, window.location.href);
    return parsed.pathname + parsed.search;
  }

  class ApiError extends Error {
    constructor(status, body) {
      const details = body && Array.isArray(body.errors) ? body.errors.map((e) => e.detail).join(" ") : "";
      super(details || format(L.loadFailed, { status }));
      this.status = status;
    }
  }

  async function getJSON(url) {
    const response = await fetch(sameOrigin(url), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  /* Every row of a paginated list ({count, next, previous, results}), following `next`. */
  async function getAll(url) {
    const rows = [];
    let next = url;
    while (next) {
      const page = await getJSON(next);
      if (Array.isArray(page)) return page;
      rows.push(...page.results);
      next = page.next;
    }
    return rows;
  }

  /* A URL with the given query; empty values are left out, arrays repeat the key. */
  function withQuery(url, params) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      const values = Array.isArray(value) ? value : [value];
      for (const one of values) {
        if (one !== null && one !== undefined && one !== "") query.append(key, one);
      }
    }
    const text = query.toString();
    return text ? `${url}?${text}` : url;
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function byTestId(id, root) {
    return (root || document).querySelector(`[data-testid="${id}"]`);
  }

  function setText(id, text) {
    const node = byTestId(id);
    if (node) node.textContent = text;
    return node;
  }

  function fill(id, content) {
    const node = byTestId(id);
    if (node) node.replaceChildren(...[content].flat().filter((c) => c !== null && c !== undefined));
    return node;
  }

  function number(value) {
    if (value === null || value === undefined) return L.noData;
    return typeof value === "number" ? numberFormat.format(value) : String(value);
  }

  /* Table rows into a table's body: each row an array of cells (text, a node, or {content, num}). */
  function fillTable(id, rows, attributesOf) {
    const table = byTestId(id);
    if (!table) return;
    const body = table.tBodies[0] || table.createTBody();
    body.replaceChildren(
      ...rows.map((cells, index) =>
        el(
          "tr",
          attributesOf ? attributesOf(index) : {},
          cells.map((cell) => {
            const spec = cell !== null && typeof cell === "object" && !(cell instanceof Node) ? cell : { content: cell };
            const classes = [spec.num ? "num" : null, spec.class || null].filter(Boolean).join(" ");
            return el(spec.head ? "th" : "td", { class: classes || null }, spec.content);
          })
        )
      )
    );
    if (!rows.length) {
      const columns = table.tHead ? table.tHead.rows[0].cells.length : 1;
      body.append(el("tr", { class: "empty" }, el("td", { colspan: columns }, L.noData)));
    }
  }

  function showStatus(message, isError) {
    const status = document.getElementById("status");
    if (!status) return;
    status.textContent = message || "";
    status.classList.toggle("error", Boolean(isError));
  }

  window.Dashboard = {
    config,
    L,
    language,
    format,
    getJSON,
    getAll,
    withQuery,
    el,
    byTestId,
    setText,
    fill,
    number,
    fillTable,
    showStatus,
  };
})();
