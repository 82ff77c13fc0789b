/* 托育设施配建计算 · the planners' page: one project, the place search, checking a rule file.
   Plain JavaScript; nothing loaded from elsewhere. Shared helpers: common.js. */
"use strict";

const QUANTITIES = [
  ["floor_area", "floor_area_m2", "建筑面积", "floor area", "m²"],
  ["outdoor_area", "outdoor_area_m2", "户外活动场地", "outdoor activity area", "m²"],
  ["slots", "slots", "托位数", "childcare slots", "个 slots"],
  ["max_floor", "max_floor", "楼层限制", "floor-level limit", "层 floor"],
  ["facilities", "facilities", "设施数", "facilities", "处 facilities"],
  ["service_radius", "service_radius_m", "服务半径", "service radius", "m"],
];

const PROJECT_INPUTS = ["jurisdiction", "area-type", "households", "population", "pph", "on", "trust", "round-area",
  "include-drafts", "include-reported", "clause-lang"];

/* ---- the jurisdiction box: search over every place in China ---- */

let searchTimer = null;
let searchSeq = 0;
let activeOption = -1;

function hideSuggestions() {
  searchSeq += 1; // an answer still on its way is not shown
  clearTimeout(searchTimer);
  $("suggestions").hidden = true;
  $("jurisdiction").setAttribute("aria-expanded", "false");
  $("jurisdiction").removeAttribute("aria-activedescendant");
  activeOption = -1;
}

function choosePlace(row) {
  $("jurisdiction").value = row.code;
  $("jurisdiction-hint").textContent = row.label;
  hideSuggestions();
}

async function searchPlaces(q) {
  const seq = ++searchSeq;
  const response = await fetch(`/jurisdictions?q=${encodeURIComponent(q)}&limit=12`);
  // shown only if still wanted: the box still has the focus and nothing newer was asked
  if (!response.ok || seq !== searchSeq || document.activeElement !== $("jurisdiction")) return;
  const data = await response.json();
  const list = $("suggestions");
  list.replaceChildren();
  data.rows.forEach((row, i) => {
    const li = text("li", row.label);
    li.id = `place-${i}`;
    li.setAttribute("role", "option");
    li.dataset.code = row.code;
    if (row.has_rules) li.append(text("span", "有规则 has rules", "tag"));
    if (row.abolished) li.append(text("span", "已撤销 abolished", "tag"));
    li.addEventListener("mousedown", (event) => {
      event.preventDefault(); // the box keeps the focus until the choice is made
      choosePlace(row);
    });
    li.row = row;
    list.append(li);
  });
  activeOption = -1;
  list.hidden = data.rows.length === 0;
  $("jurisdiction").setAttribute("aria-expanded", String(!list.hidden));
}

function moveActive(step) {
  const options = Array.from($("suggestions").children);
  if ($("suggestions").hidden || !options.length) return;
  activeOption = (activeOption + step + options.length) % options.length;
  options.forEach((li, i) => li.classList.toggle("active", i === activeOption));
  $("jurisdiction").setAttribute("aria-activedescendant", options[activeOption].id);
  options[activeOption].scrollIntoView({ block: "nearest" });
}

$("jurisdiction").addEventListener("input", () => {
  const q = $("jurisdiction").value.trim();
  $("jurisdiction-hint").textContent = "";
  clearTimeout(searchTimer);
  if (!q) return hideSuggestions();
  searchTimer = setTimeout(() => searchPlaces(q), 200);
});
$("jurisdiction").addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    moveActive(event.key === "ArrowDown" ? 1 : -1);
  } else if (event.key === "Enter" && activeOption >= 0 && !$("suggestions").hidden) {
    event.preventDefault();
    choosePlace($("suggestions").children[activeOption].row);
  } else if (event.key === "Escape") {
    hideSuggestions();
  }
});
$("jurisdiction").addEventListener("blur", hideSuggestions);

/* ---- one project ---- */

function projectBody() {
  const body = {
    jurisdiction: $("jurisdiction").value.trim(),
    area_type: $("area-type").value,
    include_drafts: $("include-drafts").checked,
    include_reported: $("include-reported").checked,
  };
  // numbers as typed (1,200 · 1200户 · １２００): the service reads them, and says what it cannot
  const numbers = { households: "households", population: "population", persons_per_household: "pph" };
  for (const [name, id] of Object.entries(numbers)) {
    const value = $(id).value.trim();
    if (value !== "") body[name] = value;
  }
  if ($("on").value.trim()) body.on = $("on").value.trim(); // 2025/6/1 or 2025年6月1日 as typed
  if ($("trust").value) body.trust = $("trust").value;
  return body;
}

function bindingRule(result, quantity) {
  const uses = result.rules.filter((u) => u.quantity === quantity && u.rule);
  const bound = uses.filter((u) => u.binding);
  return (bound.length ? bound : uses).map((u) => `${u.rule.document} ${u.rule.clause}：${u.rule.text}`).join("\n");
}

function number(v) {
  return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
}

/* The figure of each quantity as the clause states it (its JSON form): the table shows the same one. */
function statedFigures(clauseJson) {
  const out = {};
  for (const item of (clauseJson && clauseJson.sizing) || []) out[item.key] = item.value;
  return out;
}

function figureCell(quantity, value, stated, unit) {
  if (value === null || value === undefined) return text("td", "无指标 no figure", "figure none");
  const shown = stated[quantity] !== undefined && stated[quantity] !== null ? stated[quantity] : value;
  const cell = text("td", `${number(shown)} ${unit}`, "figure");
  if (Number(shown) !== Number(value)) cell.append(text("small", `计算值 computed ${number(value)} ${unit}`, "computed"));
  return cell;
}

function showResult(result, clauseJson) {
  const tbody = $("result-table").querySelector("tbody");
  tbody.replaceChildren();
  const stated = statedFigures(clauseJson);
  for (const [quantity, key, zh, en, unit] of QUANTITIES) {
    const value = result[key];
    const why = (result.explanation || {})[quantity];
    if ((value === null || value === undefined) && !why) continue;
    const tr = document.createElement("tr");
    tr.id = `row-${quantity}`;
    tr.append(text("th", `${zh} ${en}`));
    tr.lastChild.scope = "row";
    const cell = figureCell(quantity, value, stated, unit);
    cell.id = `figure-${quantity}`;
    tr.append(cell, text("td", bindingRule(result, quantity)), text("td", why || ""));
    tbody.append(tr);
  }
  const place = result.jurisdiction;
  $("result-place").textContent = `${place.name} ${place.name_en}（${place.code}）· ${result.area_term || result.area_type} · ${result.on}`;
  const flags = $("result-flags");
  flags.replaceChildren();
  if (result.draft) flags.append(text("span", "含征求意见稿 includes a draft"));
  if (result.reported) flags.append(text("span", "含仅见于报道的文件 includes reported documents"));
  if (result.stale) flags.append(text("span", "日期在规划期之后 date after the plan period"));
  for (const w of result.warnings || []) flags.append(text("span", w));
  $("result").hidden = false;
}

let clauseLinks = [];

function setDownload(link, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  clauseLinks.push(url);
  link.href = url;
}

async function fetchClause(body) {
  const lang = $("clause-lang").value;
  const round_area = $("round-area").value;
  const [plain, markdown, json] = await Promise.all(["text", "markdown", "json"].map((format) =>
    postJSON("/clause", { ...body, lang, format, round_area }).then((r) => r.text())));
  return { plain, markdown, json: JSON.parse(json) };
}

async function showClause(body, clause) {
  const letter = await postJSON("/clause", { ...body, lang: $("clause-lang").value, format: "docx",
    round_area: $("round-area").value }).then((r) => r.blob());
  clauseLinks.forEach((url) => URL.revokeObjectURL(url));
  clauseLinks = [];
  $("clause").textContent = clause.plain;
  setDownload($("download-clause"), clause.plain, "text/plain;charset=utf-8");
  setDownload($("download-clause-md"), clause.markdown, "text/markdown;charset=utf-8");
  setDownload($("download-letter"), letter, letter.type);
}

let lastBody = null;
let lastResult = null;

async function sizeProject() {
  const body = projectBody();
  clearErrors($("size-form"));
  $("error").hidden = true;
  $("result-restored").hidden = true;
  $("size-button").disabled = true;
  try {
    const response = await postJSON("/size", body);
    const payload = await response.json();
    if (!response.ok) {
      $("result").hidden = true;
      return showError($("error"), payload, $("size-form"), "");
    }
    const clause = await fetchClause(body);
    lastBody = body;
    lastResult = payload;
    showResult(payload, clause.json);
    await showClause(body, clause);
    save("project", { inputs: inputsOf(PROJECT_INPUTS), body, result: payload, clause });
  } catch (err) {
    showError($("error"), null);
  } finally {
    $("size-button").disabled = false;
  }
}

$("size-form").addEventListener("submit", (event) => {
  event.preventDefault();
  hideSuggestions();
  sizeProject();
});

async function redoClause() {
  if (!lastBody) return;
  const clause = await fetchClause(lastBody);
  showResult(lastResult, clause.json);
  await showClause(lastBody, clause);
  save("project", { inputs: inputsOf(PROJECT_INPUTS), body: lastBody, result: lastResult, clause });
}

$("clause-lang").addEventListener("change", redoClause);
$("round-area").addEventListener("change", redoClause);

$("copy-clause").addEventListener("click", async () => {
  const content = $("clause").textContent;
  try {
    await navigator.clipboard.writeText(content);
  } catch (err) {
    const area = document.createElement("textarea");
    area.value = content;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  $("copy-status").textContent = "已复制 copied";
  setTimeout(() => ($("copy-status").textContent = ""), 2000);
});

/* ---- checking a rule file against copies of its document ---- */

$("check-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const rules = $("check-rules").files[0];
  const sources = Array.from($("check-source").files);
  $("check-error").hidden = true;
  if (!rules || !sources.length) {
    $("check-error").replaceChildren(text("p", "请选择规则文件和至少一份文件副本 — choose the rule file and at least one copy"));
    $("check-error").hidden = false;
    return;
  }
  const form = new FormData();
  form.append("rules", rules, rules.name);
  for (const source of sources) form.append("source", source, source.name);
  $("check-result").hidden = true;
  $("check-button").disabled = true;
  try {
    const response = await fetch("/rules/check?lang=zh", {
      method: "POST", body: form, headers: { "X-Message-Audience": "page" },
    });
    const data = await response.json();
    if (!response.ok) return showError($("check-error"), data);
    const verdict = $("check-verdict");
    verdict.textContent = data.report[data.report.length - 1];
    verdict.className = data.passed ? "passed" : "failed";
    const tbody = $("check-failures").querySelector("tbody");
    tbody.replaceChildren();
    for (const f of data.findings.filter((x) => x.status === "fail")) {
      const tr = document.createElement("tr");
      tr.className = "check-failure";
      tr.append(text("th", `${f.entry} ${f.id} ${f.key}`), text("td", `${f.message_zh}\n${f.message_en}`));
      if (f.passage) tr.lastChild.append(text("div", `文件中最接近的文字 nearest: 「${f.passage}」`, "hint"));
      tbody.append(tr);
    }
    $("check-report").textContent = data.report.join("\n");
    $("check-result").hidden = false;
  } catch (err) {
    showError($("check-error"), null);
  } finally {
    $("check-button").disabled = false;
  }
});

/* ---- start: the last inputs and result, if this browser kept them ---- */

function restoreProject() {
  const entry = load("project");
  if (!entry) return;
  const kept = entry.value;
  restoreInputs(kept.inputs);
  if (!kept.result || !kept.clause) return;
  lastBody = kept.body;
  lastResult = kept.result;
  showResult(kept.result, kept.clause.json);
  $("result-restored").textContent = `上次的结果，保存于 ${savedAt(entry)} — the last result, kept in this browser`;
  $("result-restored").hidden = false;
  showClause(kept.body, kept.clause).catch(() => undefined);
}

$("clear-saved").addEventListener("click", () => {
  clearSaved();
  $("saved-status").textContent = "已清除本浏览器保存的输入与结果 — cleared";
  setTimeout(() => ($("saved-status").textContent = ""), 3000);
});

setUpDateFields();
$("on").value = today();
restoreProject();
fetch("/version").then((r) => r.json()).then((v) => {
  $("version").textContent = `facility_sizing ${v.library} · 规则数据 rule data ${v.rule_data}`;
});
