/* 托育设施配建计算 · the planners' page. Plain JavaScript, no library, nothing loaded from elsewhere. */
"use strict";

const $ = (id) => document.getElementById(id);

const QUANTITIES = [
  ["floor_area", "floor_area_m2", "建筑面积", "floor area", "m²"],
  ["outdoor_area", "outdoor_area_m2", "户外活动场地", "outdoor activity area", "m²"],
  ["slots", "slots", "托位数", "childcare slots", "个 slots"],
  ["max_floor", "max_floor", "楼层限制", "floor-level limit", "层 floor"],
  ["facilities", "facilities", "设施数", "facilities", "处 facilities"],
  ["service_radius", "service_radius_m", "服务半径", "service radius", "m"],
];

function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function showError(box, payload) {
  const e = (payload && payload.error) || {};
  box.textContent = e.message_zh
    ? `${e.message_zh}\n${e.message_en}` + (e.field ? `\n（字段 field: ${e.field}）` : "")
    : "请求失败 — the request failed";
  box.hidden = false;
}

async function postJSON(path, body) {
  const response = await fetch(path, {
    method: "POST",
    // the page's own labels in error messages, not the API's field names
    headers: { "Content-Type": "application/json", "X-Message-Audience": "page" },
    body: JSON.stringify(body),
  });
  return response;
}

/* ---- the jurisdiction box: search over every place in China ---- */

let searchTimer = null;
let searchSeq = 0;

function hideSuggestions() {
  $("suggestions").hidden = true;
}

async function searchPlaces(q) {
  const seq = ++searchSeq;
  const response = await fetch(`/jurisdictions?q=${encodeURIComponent(q)}&limit=12`);
  if (!response.ok || seq !== searchSeq) return;
  const data = await response.json();
  const list = $("suggestions");
  list.replaceChildren();
  for (const row of data.rows) {
    const li = text("li", row.label);
    li.dataset.code = row.code;
    if (row.has_rules) li.append(text("span", "有规则 has rules", "tag"));
    if (row.abolished) li.append(text("span", "已撤销 abolished", "tag"));
    li.addEventListener("mousedown", (event) => {
      event.preventDefault();
      $("jurisdiction").value = row.code;
      $("jurisdiction-hint").textContent = row.label;
      hideSuggestions();
    });
    list.append(li);
  }
  list.hidden = data.rows.length === 0;
}

$("jurisdiction").addEventListener("input", () => {
  const q = $("jurisdiction").value.trim();
  $("jurisdiction-hint").textContent = "";
  clearTimeout(searchTimer);
  if (!q) return hideSuggestions();
  searchTimer = setTimeout(() => searchPlaces(q), 200);
});
$("jurisdiction").addEventListener("blur", () => setTimeout(hideSuggestions, 150));

/* ---- one project ---- */

function projectBody() {
  const body = {
    jurisdiction: $("jurisdiction").value.trim(),
    area_type: $("area-type").value,
    include_drafts: $("include-drafts").checked,
    include_reported: $("include-reported").checked,
  };
  const numbers = { households: "households", population: "population", persons_per_household: "pph" };
  for (const [name, id] of Object.entries(numbers)) {
    const value = $(id).value.trim();
    if (value !== "") body[name] = Number(value);
  }
  if ($("on").value.trim()) body.on = $("on").value.trim();
  if ($("trust").value) body.trust = $("trust").value;
  return body;
}

function bindingRule(result, quantity) {
  const uses = result.rules.filter((u) => u.quantity === quantity && u.rule);
  const bound = uses.filter((u) => u.binding);
  return (bound.length ? bound : uses).map((u) => `${u.rule.document} ${u.rule.clause}：${u.rule.text}`).join("\n");
}

function showResult(result) {
  const tbody = $("result-table").querySelector("tbody");
  tbody.replaceChildren();
  for (const [quantity, key, zh, en, unit] of QUANTITIES) {
    const value = result[key];
    const why = (result.explanation || {})[quantity];
    if ((value === null || value === undefined) && !why) continue;
    const tr = document.createElement("tr");
    tr.id = `row-${quantity}`;
    tr.append(text("td", `${zh} ${en}`));
    const figure = value === null || value === undefined ? "无指标 no figure" : `${value} ${unit}`;
    const cell = text("td", figure, value === null || value === undefined ? "figure none" : "figure");
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

async function showClause(body) {
  const lang = $("clause-lang").value;
  const [plain, markdown] = await Promise.all(
    ["text", "markdown"].map((format) => postJSON("/clause", { ...body, lang, format }).then((r) => r.text())),
  );
  const letter = await postJSON("/clause", { ...body, lang, format: "docx" }).then((r) => r.blob());
  clauseLinks.forEach((url) => URL.revokeObjectURL(url));
  clauseLinks = [];
  $("clause").textContent = plain;
  setDownload($("download-clause"), plain, "text/plain;charset=utf-8");
  setDownload($("download-clause-md"), markdown, "text/markdown;charset=utf-8");
  setDownload($("download-letter"), letter, letter.type);
}

let lastBody = null;

$("size-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = projectBody();
  $("error").hidden = true;
  $("size-button").disabled = true;
  try {
    const response = await postJSON("/size", body);
    const payload = await response.json();
    if (!response.ok) {
      $("result").hidden = true;
      return showError($("error"), payload);
    }
    lastBody = body;
    showResult(payload);
    await showClause(body);
  } catch (err) {
    showError($("error"), null);
  } finally {
    $("size-button").disabled = false;
  }
});

$("clause-lang").addEventListener("change", () => lastBody && showClause(lastBody));

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

/* ---- a batch ---- */

const SUMMARY_LABELS = [
  ["rows", "行数 rows"],
  ["errors", "有错误的行 rows with errors"],
  ["floor_area_m2", "建筑面积合计 floor area, m²"],
  ["outdoor_area_m2", "户外活动场地合计 outdoor area, m²"],
  ["slots", "托位合计 slots"],
  ["draft_rows", "含草案的行 draft rows"],
  ["reported_rows", "据报道的行 reported rows"],
  ["stale_rows", "规划期外的行 stale rows"],
];

function fileName(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const star = header.match(/filename\*=UTF-8''([^;]+)/);
  if (star) return decodeURIComponent(star[1]);
  const plain = header.match(/filename="([^"]+)"/);
  return plain ? plain[1] : fallback;
}

let batchUrl = null;

$("batch-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData();
  const file = $("batch-file").files[0];
  if (!file) return;
  form.append("file", file, file.name);
  for (const [id, name] of [["batch-jurisdiction", "jurisdiction"], ["batch-area-type", "area_type"],
    ["batch-households", "households"], ["batch-on", "on"]]) {
    const value = $(id).value.trim();
    if (value) form.append(name, value);
  }
  if ($("batch-include-drafts").checked) form.append("include_drafts", "true");
  if ($("batch-include-reported").checked) form.append("include_reported", "true");
  $("batch-error").hidden = true;
  $("batch-result").hidden = true;
  $("batch-button").disabled = true;
  try {
    const response = await fetch("/batch", { method: "POST", body: form, headers: { "X-Message-Audience": "page" } });
    if (!response.ok) return showError($("batch-error"), await response.json());
    const totals = JSON.parse(response.headers.get("X-Facility-Sizing-Summary") || "{}");
    const blob = await response.blob();
    const tbody = $("batch-summary").querySelector("tbody");
    tbody.replaceChildren();
    for (const [key, label] of SUMMARY_LABELS) {
      if (totals[key] === undefined || (key.endsWith("_rows") && !totals[key])) continue;
      const tr = document.createElement("tr");
      const value = typeof totals[key] === "number" ? totals[key].toLocaleString("zh-CN") : String(totals[key]);
      tr.append(text("th", label), text("td", value));
      tr.lastChild.id = `batch-${key.replaceAll("_", "-")}`;
      tbody.append(tr);
    }
    for (const [kind, count] of Object.entries(totals.errors_by_kind || {})) {
      const tr = document.createElement("tr");
      tr.append(text("th", `错误 error: ${kind}`), text("td", String(count)));
      tbody.append(tr);
    }
    if (batchUrl) URL.revokeObjectURL(batchUrl);
    batchUrl = URL.createObjectURL(blob);
    const link = $("batch-download");
    link.href = batchUrl;
    link.download = fileName(response, "result");
    link.dataset.filename = link.download;
    $("batch-result").hidden = false;
  } catch (err) {
    showError($("batch-error"), null);
  } finally {
    $("batch-button").disabled = false;
  }
});

/* ---- checking a rule file against copies of its document ---- */

$("check-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const rules = $("check-rules").files[0];
  const sources = Array.from($("check-source").files);
  if (!rules || !sources.length) return;
  const form = new FormData();
  form.append("rules", rules, rules.name);
  for (const source of sources) form.append("source", source, source.name);
  $("check-error").hidden = true;
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

/* ---- start ---- */

$("on").value = today();
fetch("/version").then((r) => r.json()).then((v) => {
  $("version").textContent = `facility_sizing ${v.library} · 规则数据 rule data ${v.rule_data}`;
});
