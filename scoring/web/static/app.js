// zonescore serve: the weight-tuning page. It computes nothing: every change asks the server,
// which answers with the same functions as `zonescore whatif` / `robustness` / `explain`.
"use strict";

const state = { setup: null, weights: {}, keep: false, seq: 0, shown: 0, comparison: null, selected: null,
                robustShown: false, inFlight: false, pending: false };
const token = new URLSearchParams(location.search).get("token");
const MAX_ROWS = 500, MAX_BARS = 300;
const $ = (id) => document.getElementById(id);
const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;",
  '"': "&quot;", "'": "&#39;"}[c]));

async function api(path, body) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers["X-Zonescore-Token"] = token;
  const response = await fetch(path, body === undefined ? { headers } :
    { method: "POST", headers, body: JSON.stringify(body) });
  const type = response.headers.get("content-type") || "";
  const answer = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error(answer.error || String(answer));
  return answer;
}

function showError(error) {
  const box = $("error");
  box.hidden = !error;
  box.textContent = error ? `${state.setup ? state.setup.words.error : ""}: ${error.message}` : "";
}

// --- weights: sliders and number boxes --------------------------------------------------------

function baseWeight(id) { return state.setup.nodes.find((n) => n.id === id).weight; }

function buildWeights() {
  const box = $("weights");
  for (const node of state.setup.nodes) {
    const step = node.weight >= 10 ? 1 : 0.5;
    const max = Math.max(10, Math.ceil(node.weight * 2.5));
    const row = document.createElement("div");
    row.className = `weight depth-${Math.min(node.depth, 3)}` + (node.group ? " group" : "");
    row.dataset.node = node.id;
    row.innerHTML = `<label for="slider-${esc(node.id)}">${esc(node.label)}</label>
      <input type="range" id="slider-${esc(node.id)}" min="${step}" max="${max}" step="${step}">
      <input type="number" id="number-${esc(node.id)}" min="0" step="any" aria-label="${esc(node.label)}">`;
    box.appendChild(row);
    row.querySelector("input[type=range]").addEventListener("input", (e) => setWeight(node.id, e.target.value));
    row.querySelector("input[type=number]").addEventListener("change", (e) => setWeight(node.id, e.target.value));
  }
  showWeights({});
}

function setWeight(id, text) {
  const value = Number(text);
  if (text !== "" && value === baseWeight(id)) delete state.weights[id];
  else state.weights[id] = text === "" || !Number.isFinite(value) ? text : value;
  update();
}

function showWeights(scenarioWeights) {
  for (const node of state.setup.nodes) {
    const value = node.id in state.weights ? state.weights[node.id]
      : (scenarioWeights[node.id] ?? node.weight);
    const row = document.querySelector(`.weight[data-node="${CSS.escape(node.id)}"]`);
    const number = row.querySelector("input[type=number]"), slider = row.querySelector("input[type=range]");
    if (document.activeElement !== number) number.value = value;
    if (document.activeElement !== slider && Number.isFinite(Number(value))) slider.value = value;
    row.classList.toggle("changed", Number(value) !== node.weight);
  }
}

// --- the scenario in the address (shareable) ---------------------------------------------------

function weightParams() {
  const params = new URLSearchParams();
  for (const [id, value] of Object.entries(state.weights)) params.append("weight", `${id}=${value}`);
  if (state.keep) params.set("keep_total", "true");
  return params;
}

function saveScenario() {
  const parts = Object.entries(state.weights).map(([id, v]) => `${encodeURIComponent(id)}:${encodeURIComponent(v)}`);
  const hash = (parts.length ? "w=" + parts.join(",") : "") + (state.keep ? (parts.length ? "&" : "") + "keep=1" : "");
  history.replaceState(null, "", location.pathname + location.search + (hash ? "#" + hash : ""));
  const params = weightParams();
  if (token) params.set("token", token);
  const query = params.toString() ? "?" + params : "";
  $("download-rules").href = "api/rules.yaml" + query;
  $("download-results").href = "api/results.xlsx" + query;
}

function loadScenario() {
  const hash = new URLSearchParams(location.hash.slice(1));
  state.weights = {};
  for (const part of (hash.get("w") || "").split(",").filter(Boolean)) {
    const [id, value] = part.split(":").map(decodeURIComponent);
    const number = Number(value);
    state.weights[id] = value !== "" && Number.isFinite(number) ? number : value;
  }
  state.keep = hash.get("keep") === "1";
  $("keep-total").checked = state.keep;
}

// --- asking the server ------------------------------------------------------------------------------

// One request at a time: while a slider moves faster than the server answers, only the latest
// weights are asked for once the answer in flight has come (no queue of stale scenarios).
async function update() {
  saveScenario();
  if (state.inFlight) {
    state.pending = true;
    return;
  }
  state.inFlight = true;
  try {
    do {
      state.pending = false;
      await ask();
    } while (state.pending);
  } finally {
    state.inFlight = false;
  }
  if (state.selected) explain(state.selected); // once the weights have settled
  if (state.robustShown) robustness();
}

async function ask() {
  const seq = ++state.seq;
  $("busy").hidden = false;
  const asked = { weights: { ...state.weights }, keep_total: state.keep };
  try {
    const [comparison, lines] = await Promise.all([api("api/whatif", asked), api("api/lines", asked)]);
    if (seq < state.shown) return; // an older answer arriving late
    state.shown = seq;
    state.comparison = comparison;
    showError(null);
    showComparison(comparison, lines);
  } catch (error) {
    if (seq >= state.shown) showError(error);
  } finally {
    if (seq === state.seq) $("busy").hidden = true;
  }
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

function fixed(value) {
  return value === null || value === undefined ? "" : Number(value).toFixed(state.setup.precision);
}

function outcomeText(side) {
  if (side.outcome) return state.setup.outcomes.find((o) => o.id === side.outcome)?.label ?? side.outcome;
  const words = state.setup.words;
  return side.status === "exempt" ? words.exempt : side.status === "excluded" ? words.excluded : words.none;
}

function agreementWord(rho, tau) {
  const words = state.setup.words;
  if (rho === null || tau === null) return "";
  if (rho === 1 && tau === 1) return words.agree_same;
  if (rho >= 0.99) return words.agree_very_high;
  if (rho >= 0.9) return words.agree_high;
  if (rho >= 0.7) return words.agree_moderate;
  return words.agree_low;
}

function showComparison(comparison, lines) {
  const words = state.setup.words, summary = comparison.summary;
  const scenarioWeights = {};
  for (const change of comparison.scenario.weights) scenarioWeights[change.node] = change.scenario;
  showWeights(scenarioWeights);
  $("full-score").textContent = `${words.full_score} ${fixed(summary.full_score[0])} → ${fixed(summary.full_score[1])}`;
  const number = (v) => (v === null ? "-" : v.toFixed(4));
  $("agreement").innerHTML = fill(words.agreement_text, { agreement: esc(words.agreement),
    verdict: `<b>${esc(agreementWord(summary.spearman_rho, summary.kendall_tau))}</b>`, spearman: esc(words.spearman),
    rho: number(summary.spearman_rho), kendall: esc(words.kendall), tau: number(summary.kendall_tau) });
  const names = new Map(comparison.units.map((u) => [u.id, u.name]));
  const list = (ids, cls) => ids.map((id) => `<span class="${cls}">${esc(names.get(id) ?? id)}</span>`)
    .join(esc(words.list_separator)) || "-";
  $("moves").innerHTML = summary.changed ? summary.outcome_moves.map((m) => "<li>" + fill(words.move_text, {
    outcome: esc(m.label), enters: esc(words.enters), entered: list(m.entered, "enter-name"), leaves: esc(words.leaves),
    left: list(m.left, "leave-name") }) + "</li>").join("") : `<li>${esc(words.no_change)}</li>`;
  $("lines").textContent = fill(words.lines_text, { lines: lines.map((line) => fill(words.line_text,
    { outcome: line.label, before: fixed(line.baseline), after: fixed(line.scenario) })).join(words.line_separator) });
  showTable(comparison);
  showChart(comparison, lines);
}

function changeCell(change) {
  if (change === null) return `<td></td>`;
  if (change > 0) return `<td class="up">▲${change}</td>`;
  if (change < 0) return `<td class="down">▼${-change}</td>`;
  return `<td class="same">–</td>`;
}

function showTable(comparison) {
  const words = state.setup.words, w = (text) => `<th>${esc(text)}</th>`;
  $("ranking").tHead.innerHTML = `<tr>${w(words.rank)}${w(words.change)}<th class="name">${esc(words.unit)}</th>
    ${w(words.baseline + " " + words.rank)}${w(words.baseline + " " + words.total)}${w(words.scenario + " " + words.total)}
    <th class="outcome">${esc(words.outcome)}</th></tr>`;
  const rows = comparison.units.slice(0, MAX_ROWS).map((u) => {
    const before = u.baseline.outcome, after = u.scenario.outcome;
    const cls = before === after ? "" : after ? "entered" : "left";
    const outcome = before === after ? esc(outcomeText(u.scenario))
      : `${esc(outcomeText(u.baseline))} → ${esc(outcomeText(u.scenario))}`;
    return `<tr data-unit="${esc(u.id)}" class="${cls}${u.id === state.selected ? " selected" : ""}">
      <td>${u.scenario.rank ?? ""}</td>${changeCell(u.rank_change)}<td class="name">${esc(u.name)}</td>
      <td>${u.baseline.rank ?? ""}</td><td>${fixed(u.baseline.total)}</td><td>${fixed(u.scenario.total)}</td>
      <td class="outcome">${outcome}</td></tr>`;
  });
  $("ranking").tBodies[0].innerHTML = rows.join("");
  $("more-rows").hidden = comparison.units.length <= MAX_ROWS;
  $("more-rows").textContent = `${MAX_ROWS} / ${comparison.units.length}`;
}

const COLOURS = ["#2e86c1", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#17a589"];

function outcomeColour(outcome) {
  const index = state.setup.outcomes.findIndex((o) => o.id === outcome);
  return index < 0 ? "#aab7c4" : COLOURS[index % COLOURS.length];
}

function showChart(comparison, lines) {
  if (!window.echarts) return;
  const chart = echarts.getInstanceByDom($("chart")) || echarts.init($("chart"));
  const units = comparison.units.slice(0, MAX_BARS);
  chart.setOption({
    animation: false, grid: { left: 40, right: 10, top: 24, bottom: units.length <= 60 ? 70 : 10 },
    tooltip: { trigger: "axis" },
    legend: { data: [state.setup.words.scenario, state.setup.words.baseline], top: 0 },
    xAxis: { type: "category", data: units.map((u) => u.name),  // names under the bars while they fit
             axisLabel: { show: units.length <= 60, rotate: 60, fontSize: 9, interval: 0 } },
    yAxis: { type: "value", scale: true },
    series: [
      { name: state.setup.words.scenario, type: "bar", data: units.map((u) => ({ value: u.scenario.total,
          itemStyle: { color: outcomeColour(u.scenario.outcome) } })),
        markLine: { symbol: "none", data: lines.filter((l) => l.scenario !== null).map((l) => ({ yAxis: l.scenario,
          name: l.label, label: { formatter: l.label, position: "insideEndTop" } })) } },
      { name: state.setup.words.baseline, type: "scatter", symbolSize: 5, itemStyle: { color: "#34495e" },
        data: units.map((u) => u.baseline.total) },
    ],
  }, true);
}

// --- a unit's explanation ----------------------------------------------------------------------

async function explain(unitId) {
  state.selected = unitId;
  document.querySelectorAll("#ranking tr.selected").forEach((r) => r.classList.remove("selected"));
  document.querySelector(`#ranking tr[data-unit="${CSS.escape(unitId)}"]`)?.classList.add("selected");
  const params = weightParams();
  params.set("format", "text");
  try {
    $("explanation").textContent = await api(`api/explain/${encodeURIComponent(unitId)}?${params}`);
    $("explain-hint").hidden = true;
  } catch (error) {
    showError(error);
  }
}

// --- robustness under ±S% weights -------------------------------------------------------------------

async function robustness() {
  state.robustShown = true;
  const asked = { weights: state.weights, keep_total: state.keep, spread: Number($("spread").value) / 100,
                  draws: Number($("draws").value) };
  try {
    showRobustness(await api("api/robustness", asked));
  } catch (error) {
    showError(error);
  }
}

function showRobustness(result) {
  const words = state.setup.words, outcomes = state.setup.outcomes;
  $("robust-table").tHead.innerHTML = `<tr><th class="name">${esc(words.unit)}</th><th>${esc(words.rank)}</th>
    <th>${esc(words.rank_band)}</th>${outcomes.map((o) => `<th>${esc(words.probability.replace("{outcome}", o.label))}</th>`).join("")}
    <th class="outcome">${esc(words.verdict)}</th></tr>`;
  const units = result.units.slice(0, MAX_ROWS);
  $("robust-table").tBodies[0].innerHTML = units.map((u) => `<tr class="${u.verdict === "borderline" ? "borderline" : ""}">
    <td class="name">${esc(u.name)}</td><td>${u.nominal_rank ?? ""}</td>
    <td>${u.rank_p05 ?? ""}–${u.rank_p95 ?? ""}</td>${outcomes.map((o) =>
      `<td>${u.probabilities[o.id] === undefined ? "" : (u.probabilities[o.id] * 100).toFixed(1) + "%"}</td>`).join("")}
    <td class="outcome">${esc(u.verdict ? words[u.verdict] : "")}</td></tr>`).join("");
  if (!window.echarts) return;
  const chart = echarts.getInstanceByDom($("robust-chart")) || echarts.init($("robust-chart"));
  const ranked = units.filter((u) => u.rank_p05 !== null).slice(0, MAX_BARS);
  chart.setOption({
    animation: false, grid: { left: 36, right: 10, top: 10, bottom: 10 }, tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: ranked.map((u) => u.name), axisLabel: { show: false }, axisTick: { show: false } },
    yAxis: { type: "value", inverse: true, min: 1 },
    series: [
      { type: "bar", stack: "band", itemStyle: { color: "transparent" }, data: ranked.map((u) => u.rank_p05) },
      { name: words.rank_band, type: "bar", stack: "band", data: ranked.map((u) => ({ value: u.rank_p95 - u.rank_p05 + 0.01,
          itemStyle: { color: u.verdict === "borderline" ? "#d68910" : "#5d8aa8" } })) },
      { name: words.rank, type: "scatter", symbolSize: 6, itemStyle: { color: "#1f2933" },
        data: ranked.map((u) => u.nominal_rank) },
    ],
  }, true);
}

// --- start ----------------------------------------------------------------------------------------------

async function start() {
  try {
    state.setup = await api("api/setup");
  } catch (error) {
    showError(error);
    return;
  }
  document.querySelectorAll("[data-word]").forEach((el) => { el.textContent = state.setup.words[el.dataset.word]; });
  $("draws").max = state.setup.max_draws;
  $("keep-total").parentElement.hidden = !state.setup.keep_total;
  buildWeights();
  loadScenario();
  $("keep-total").addEventListener("change", (e) => { state.keep = e.target.checked; update(); });
  $("reset").addEventListener("click", () => { state.weights = {}; state.keep = false; $("keep-total").checked = false; update(); });
  $("ranking").tBodies[0].addEventListener("click", (e) => {
    const row = e.target.closest("tr[data-unit]");
    if (row) explain(row.dataset.unit);
  });
  $("run-robustness").addEventListener("click", robustness);
  window.addEventListener("hashchange", () => { loadScenario(); update(); });
  await update();
  document.body.dataset.ready = "true";
}

start();
