// The AllianceGraph web explorer: search with suggestions, and an entity page with its network
// (cytoscape), its timeline (vis-timeline), an as-of date control, its facts and their evidence.
// Everything comes from the REST API under /api; text from articles is always inserted as text.
// The libraries are loaded on the entity page only, so search still works if they are missing.

const TYPE_COLOURS = {
  ORG: "#2b6cb0", PERSON: "#b7791f", VEHICLE: "#2f855a",
  PLATFORM: "#805ad5", PLANT: "#c05621", PLACE: "#718096",
};
const RELATION_COLOURS = {
  partner_of: "#e53e3e", owns: "#3182ce", part_of: "#3182ce", joint_venture_of: "#d53f8c",
  develops: "#38a169", manufactures: "#dd6b20", produced_at: "#b7791f", operates: "#975a16",
  located_in: "#a0aec0", based_on: "#319795", supplies: "#805ad5", market: "#4a5568",
  role_at: "#ecc94b", launch: "#00b5d8",
};
const SYMMETRIC = new Set(["partner_of"]);
const PAGE = 500;

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
  }
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({ ok: false, error: response.statusText, status: response.status }));
  if (!response.ok) throw Object.assign(new Error(body.error || response.statusText), { status: response.status });
  return body;
}

const entityHref = (idOrName) => `/entity/${encodeURIComponent(idOrName)}`;

// -- search with suggestions ------------------------------------------------------------------------

function setupSearch() {
  const form = $("#search");
  const input = $("#q");
  const list = $("#suggestions");
  let hits = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; };
  const mark = () => {
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
  };
  const render = () => {
    list.replaceChildren(...hits.map((hit, i) => el("li", {
      role: "option", id: `suggestion-${i}`, "aria-selected": "false", dataset: { id: hit.id },
      onmousedown: (event) => { event.preventDefault(); location.href = entityHref(hit.id); },
    }, el("span", { class: "name" }, hit.name),
       el("span", { class: `type type-${hit.type}` }, hit.type),
       hit.matched !== hit.name ? el("span", { class: "matched" }, `“${hit.matched}”`) : null)));
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) { hits = []; render(); return; }
    timer = setTimeout(async () => {
      const mine = ++asked;
      try {
        const page = await api("/api/entities", { q: text, limit: 8 });
        if (mine !== asked) return;  // a later keystroke already asked again
        hits = page.items; active = -1; render();
      } catch { hits = []; render(); }
    }, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { active = Math.min(active + 1, hits.length - 1); mark(); event.preventDefault(); }
    else if (event.key === "ArrowUp") { active = Math.max(active - 1, 0); mark(); event.preventDefault(); }
    else if (event.key === "Escape") close();
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (active >= 0 && hits[active]) location.href = entityHref(hits[active].id);
    else if (hits.length > 0 && hits[0].name.toLowerCase() === text.toLowerCase()) location.href = entityHref(hits[0].id);
    else if (text) location.href = entityHref(text);
  });
}

// -- the entity page --------------------------------------------------------------------------------

class EntityPage {
  constructor(root, libs) {
    this.id = root.dataset.entityId;
    this.name = root.dataset.entityName;
    this.cytoscape = libs.cytoscape;
    this.vis = libs.vis;
    this.asOf = new URLSearchParams(location.search).get("as_of") || "";
    this.expanded = [this.id];           // entities whose facts the network shows, in click order
    this.facts = new Map();              // fact id -> fact, for the evidence panel
    this.network = $("#network");
    this.type = "ORG";
    this.cy = null;
    this.timeline = null;
    this.events = null;
  }

  async start() {
    $("#as-of").value = this.asOf;
    $("#as-of").addEventListener("change", (event) => this.setAsOf(event.target.value));
    $("#as-of-clear").addEventListener("click", () => this.setAsOf(""));
    this.drawLegend();
    await Promise.all([this.loadProfile(), this.loadTimeline()]);
    await this.redraw();
  }

  async setAsOf(day) {
    if (day && !/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    this.asOf = day;
    $("#as-of").value = day;
    const url = new URL(location.href);
    if (day) url.searchParams.set("as_of", day); else url.searchParams.delete("as_of");
    history.replaceState(null, "", url);
    await this.redraw();
  }

  async loadProfile() {
    const p = await api(`/api/entities/${encodeURIComponent(this.id)}`);
    this.type = p.type;
    const meta = $("#entity-meta");
    meta.replaceChildren(...[
      el("span", { class: `type type-${p.type}` }, p.type), p.kind ? ` ${p.kind}` : "",
      p.parent ? [" · part of ", el("a", { href: entityHref(p.parent_id) }, p.parent)] : "",
      p.wikidata ? [" · ", el("a", { href: `https://www.wikidata.org/wiki/${p.wikidata}`, rel: "noopener", target: "_blank" }, p.wikidata)] : "",
      p.aliases.length ? ` · also ${p.aliases.slice(0, 6).join(", ")}${p.aliases.length > 6 ? "…" : ""}` : "",
    ].flat());
  }

  async factsOf(entity) {
    const page = await api("/api/facts", { entity, as_of: this.asOf, limit: PAGE });
    for (const f of page.items) this.facts.set(f.id, f);
    return page;
  }

  // Everything that depends on the as-of date: network, facts table, timeline marker.
  async redraw() {
    this.network.dataset.state = "loading";
    const pages = await Promise.all(this.expanded.map((id) => this.factsOf(id)));
    const own = pages[0];
    this.drawFacts(own);
    // An expanded neighbour adds its facts only while it is still linked to what is drawn.
    const shown = new Set([this.id]);
    const facts = [];
    pages.forEach((p, i) => {
      if (!shown.has(this.expanded[i])) return;
      for (const f of p.items) {
        facts.push(f);
        shown.add(f.head_id);
        if (f.tail_id) shown.add(f.tail_id);
      }
    });
    this.drawNetwork(facts);
    this.markTimeline();
    $("#as-of-note").textContent = this.asOf ? `${own.total} facts stated by ${this.asOf}` : "";
  }

  // -- network --

  elements(facts) {
    const nodes = new Map([[this.id, { id: this.id, label: this.name, type: this.type }]]);
    const edges = [];
    for (const f of facts) {
      if (!f.tail_id) continue;  // a launch with no market has no second node
      nodes.set(f.head_id, { id: f.head_id, label: f.head, type: f.head_type });
      nodes.set(f.tail_id, { id: f.tail_id, label: f.tail, type: f.tail_type || "ORG" });
      edges.push({ id: f.id, source: f.head_id, target: f.tail_id, relation: f.relation, status: f.status, future: f.future });
    }
    const unique = [...new Map(edges.map((e) => [e.id, e])).values()];
    return [
      ...[...nodes.values()].map((n) => ({ group: "nodes", data: { ...n, centre: n.id === this.id, expanded: this.expanded.includes(n.id) } })),
      ...unique.map((e) => ({ group: "edges", data: e })),
    ];
  }

  drawNetwork(facts) {
    const elements = this.elements(facts);
    if (!this.cy) {
      this.cy = this.cytoscape({ container: this.network, elements, style: this.style(), minZoom: 0.2, maxZoom: 3 });
      window.cy = this.cy;  // for the browser tests and for curious users
      this.cy.on("tap", "node", (event) => this.onNode(event.target));
      this.cy.on("tap", "edge", (event) => this.showEvidence(event.target.id()));
      this.cy.on("tap", (event) => { if (event.target === this.cy) $("#node-info").hidden = true; });
    } else {
      this.cy.elements().remove();
      this.cy.add(elements);
    }
    // Rings by distance from the entity: its neighbours around it, an expanded neighbour's beyond.
    // Deterministic, so the same graph is always drawn the same way.
    const depth = {};
    this.cy.elements().bfs({
      roots: this.cy.getElementById(this.id), directed: false,
      visit: (node, edge, previous, index, d) => { depth[node.id()] = d; },
    });
    const deepest = Math.max(0, ...Object.values(depth));
    this.cy.layout({
      name: "concentric", animate: false, padding: 30, minNodeSpacing: 60, spacingFactor: 1.1, startAngle: (3 / 2) * Math.PI,
      concentric: (node) => deepest + 1 - (depth[node.id()] ?? deepest + 1), levelWidth: () => 1,
    }).run();
    this.cy.fit(undefined, 30);
    if (this.cy.zoom() > 1.2) {  // a few nodes: keep them at reading size, not blown up to the box
      this.cy.zoom(1.2);
      this.cy.center();
    }
    const ids = this.cy.nodes().map((n) => n.id()).sort();
    this.network.dataset.nodes = ids.join(" ");
    this.network.dataset.edges = this.cy.edges().map((e) => e.id()).sort().join(" ");
    this.network.dataset.state = "ready";
  }

  style() {
    return [
      { selector: "node", style: {
        "background-color": (n) => TYPE_COLOURS[n.data("type")] || "#a0aec0", label: "data(label)",
        "font-size": 11, "text-valign": "bottom", "text-margin-y": 4, color: "#1a202c",
        "text-outline-color": "#fff", "text-outline-width": 2, width: 22, height: 22 } },
      { selector: "node[?centre]", style: { width: 38, height: 38, "font-weight": "bold", "font-size": 13 } },
      { selector: "node[?expanded]", style: { "border-width": 3, "border-color": "#1a202c" } },
      { selector: "edge", style: {
        "line-color": (e) => RELATION_COLOURS[e.data("relation")] || "#a0aec0",
        "target-arrow-color": (e) => RELATION_COLOURS[e.data("relation")] || "#a0aec0",
        "target-arrow-shape": (e) => (SYMMETRIC.has(e.data("relation")) ? "none" : "triangle"),
        "curve-style": "bezier", width: 2.5, label: "data(relation)", "font-size": 8, color: "#4a5568",
        "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8 } },
      { selector: 'edge[status = "reported"]', style: { "line-style": "dashed" } },
      { selector: 'edge[status = "denied"]', style: { "line-style": "dotted", opacity: 0.55 } },
      { selector: ":selected", style: { "overlay-color": "#2b6cb0", "overlay-opacity": 0.2 } },
    ];
  }

  async onNode(node) {
    const id = node.id();
    const info = $("#node-info");
    info.replaceChildren(...[
      el("strong", {}, node.data("label")), " ", el("span", { class: `type type-${node.data("type")}` }, node.data("type")),
      id !== this.id ? [" · ", el("a", { href: entityHref(id), id: "node-open" }, "open its page")] : "",
    ].flat());
    info.hidden = false;
    if (!this.expanded.includes(id)) {
      this.expanded.push(id);
      await this.redraw();
    }
  }

  drawLegend() {
    const swatch = (colour, dashed) => el("span", { class: `swatch${dashed ? " dashed" : ""}`, style: `--c:${colour}` });
    $("#legend").replaceChildren(
      ...Object.entries(TYPE_COLOURS).map(([t, c]) => el("span", { class: "key" }, el("span", { class: "dot", style: `--c:${c}` }), t)),
      el("span", { class: "key" }, swatch("#4a5568", false), "confirmed"),
      el("span", { class: "key" }, swatch("#4a5568", true), "reported"),
      el("span", { class: "key" }, el("span", { class: "swatch dotted", style: "--c:#4a5568" }), "denied"),
    );
  }

  // -- facts table --

  drawFacts(page) {
    const body = $("#facts tbody");
    const link = (id, name) => (id && id !== this.id ? el("a", { href: entityHref(id) }, name) : name ?? "");
    body.replaceChildren(...page.items.map((f) => el("tr", {
      class: `status-${f.status}`, dataset: { fact: f.id }, tabindex: "0",
      onclick: (event) => { if (event.target.tagName !== "A") this.showEvidence(f.id); },
      onkeydown: (event) => { if (event.key === "Enter") this.showEvidence(f.id); },
    },
      el("td", {}, el("span", { class: "rel", style: `--c:${RELATION_COLOURS[f.relation] || "#a0aec0"}` }, f.relation)),
      el("td", {}, link(f.head_id, f.head)), el("td", {}, link(f.tail_id, f.tail)),
      el("td", {}, f.status, f.future ? " (planned)" : "", f.ended ? `, ended ${f.ended}` : ""), el("td", {}, f.time ?? ""),
      el("td", {}, f.first_seen ?? ""), el("td", {}, String(f.evidence.length)))));
    $("#facts-count").textContent = `${page.total}${page.total > page.items.length ? `, first ${page.items.length} shown` : ""}`;
  }

  // -- timeline --

  async loadTimeline() {
    const container = $("#timeline");
    const page = await api(`/api/entities/${encodeURIComponent(this.id)}/timeline`, { limit: PAGE });
    const items = page.items.map((e, i) => {
      const f = e.fact;
      const other = f.head_id === this.id ? f.tail : f.head;
      const ended = e.kind === "ended";
      return {
        id: i, start: e.date, fact: f.id, type: "point",
        className: `rel-${f.relation} status-${f.status}${ended ? " ended" : ""}`,
        title: `${e.date}: ${e.summary}${e.dated_by === "text" ? ` (dated by the text: ${e.time})` : ""}`,
        content: el("span", { class: "event" }, ended ? "ended: " : "",
          el("span", { class: "rel", style: `--c:${RELATION_COLOURS[f.relation] || "#a0aec0"}` }, f.relation), " ", other ?? ""),
      };
    });
    this.events = items;
    if (items.length === 0) {
      container.replaceChildren(el("p", { class: "hint" }, "No dated events."));
      container.dataset.state = "ready";
      return;
    }
    const times = items.map((i) => Date.parse(i.start));
    const span = Math.max(...times) - Math.min(...times);
    const pad = Math.max(span * 0.08, 1000 * 3600 * 24 * 90);  // and room on the right for the labels
    this.eventData = new this.vis.DataSet(items);
    this.timeline = new this.vis.Timeline(container, this.eventData, {
      height: "190px", stack: true, showCurrentTime: false, zoomMin: 1000 * 3600 * 24 * 7, selectable: true,
      start: new Date(Math.min(...times) - pad), end: new Date(Math.max(...times) + 3 * pad),
    });
    this.timeline.on("select", ({ items: chosen }) => {
      const item = this.events[chosen[0]];
      if (item) this.showEvidence(item.fact);
    });
    this.timeline.on("timechanged", ({ id, time }) => {
      if (id === "asof-bar") this.setAsOf(time.toISOString().slice(0, 10));
    });
    container.dataset.state = "ready";
    container.dataset.events = String(items.length);
  }

  markTimeline() {
    if (!this.timeline) return;
    // Events after the as-of date are greyed: the graph drawn does not know them yet.
    this.eventData.update(this.events.map((item) => ({
      id: item.id, className: `${item.className}${this.asOf && item.start > this.asOf ? " later" : ""}`,
    })));
    const at = this.asOf ? new Date(`${this.asOf}T12:00:00Z`) : null;
    try { this.timeline.removeCustomTime("asof-bar"); } catch { /* none yet */ }
    if (at) {
      this.timeline.addCustomTime(at, "asof-bar");
      this.timeline.setCustomTimeTitle(`as of ${this.asOf}`, "asof-bar");
    } else {
      // A bar after the last event: drag it back to see the graph as it stood then.
      const last = Math.max(...this.events.map((i) => Date.parse(i.start)));
      this.timeline.addCustomTime(new Date(last + 1000 * 3600 * 24 * 30), "asof-bar");
      this.timeline.setCustomTimeTitle("drag to see the graph as it stood then", "asof-bar");
    }
  }

  // -- evidence --

  async showEvidence(factId) {
    const panel = $("#evidence");
    panel.dataset.fact = factId;
    panel.dataset.state = "loading";
    let page;
    try {
      page = await api(`/api/facts/${encodeURIComponent(factId)}/evidence`, { limit: PAGE });
    } catch (error) {
      panel.replaceChildren(el("p", { class: "error" }, error.message));
      panel.dataset.state = "error";
      return;
    }
    const f = page.fact;
    panel.replaceChildren(
      el("p", { class: "fact-line" },
        el("a", { href: entityHref(f.head_id) }, f.head), " ",
        el("span", { class: "rel", style: `--c:${RELATION_COLOURS[f.relation] || "#a0aec0"}` }, f.relation), " ",
        f.tail_id ? el("a", { href: entityHref(f.tail_id) }, f.tail) : (f.tail ?? ""),
        el("span", { class: "meta" }, ` ${f.status}${f.future ? ", planned" : ""}${f.time ? `, ${f.time}` : ""}`)),
      el("ol", { class: "evidence-list" }, page.items.map((e) => this.evidenceItem(e))),
    );
    panel.dataset.state = "ready";
    panel.scrollIntoView({ block: "nearest" });
  }

  evidenceItem(e) {
    const later = this.asOf && e.published && e.published > this.asOf;
    const quote = el("blockquote", { class: "sentence" });
    let at = 0;
    for (const h of e.highlights) {
      quote.append(e.sentence.slice(at, h.start), el("mark", { class: h.role }, e.sentence.slice(h.start, h.end)));
      at = h.end;
    }
    quote.append(e.sentence.slice(at));
    const title = e.title || e.doc;
    return el("li", { class: later ? "later" : "", dataset: { doc: e.doc } },
      quote,
      el("p", { class: "source" },
        e.url ? el("a", { href: e.url, rel: "noopener noreferrer", target: "_blank", class: "title" }, title) : el("span", { class: "title" }, title),
        e.published ? el("span", { class: "date" }, ` · ${e.published}`) : "",
        el("span", { class: `badge status-${e.status}` }, e.status),
        later ? el("span", { class: "meta" }, " published after the as-of date") : ""));
  }
}

// -- home ---------------------------------------------------------------------------------------------

async function showStats() {
  const target = $("#stats");
  if (!target) return;
  try {
    const s = await api("/api/stats");
    target.textContent = `${s.entities} entities, ${s.facts} facts from ${s.documents} articles (${s.evidence} sentences of evidence).`;
  } catch (error) {
    target.textContent = error.message;
  }
}

async function main() {
  setupSearch();
  await showStats();
  const root = $("#entity");
  if (!root) return;
  let libs;
  try {
    const [cy, vis] = await Promise.all([import("./vendor/cytoscape.esm.min.js"), import("./vendor/vis-timeline.esm.min.js")]);
    libs = { cytoscape: cy.default, vis };
  } catch {
    $("#network").replaceChildren(el("p", { class: "error" }, "The drawing libraries are missing: run `make web` and reload."));
    return;
  }
  const page = new EntityPage(root, libs);
  window.entityPage = page;
  try {
    await page.start();
  } catch (error) {
    $("#network").dataset.state = "error";
    $("#network").replaceChildren(el("p", { class: "error" }, error.message));
  }
}

main();
