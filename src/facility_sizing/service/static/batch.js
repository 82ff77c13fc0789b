/* 托育设施配建计算 · a batch, row by row: the totals, every row with its figures, rule and error in words,
   the failed rows alone, pages for a large file, the parcels' map, the result file and the letters.
   Plain JavaScript (and the vendored Leaflet, through parcelmap.js); shared helpers: common.js. */
"use strict";

const PAGE_ROWS = 50;

const BATCH_TEXT = [["batch-jurisdiction", "jurisdiction"], ["batch-area-type", "area_type"],
  ["batch-households", "households"], ["batch-population", "population"], ["batch-pph", "persons_per_household"],
  ["batch-on", "on"], ["batch-trust", "trust"], ["batch-area", "area"], ["batch-host", "host"]];
const BATCH_CHECKS = [["batch-include-drafts", "include_drafts"], ["batch-include-reported", "include_reported"]];
const BATCH_INPUTS = [...BATCH_TEXT, ...BATCH_CHECKS].map(([id]) => id).concat(["batch-round-area"]);

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

const batch = { answer: null, page: 0, failedOnly: false, map: null, form: null, fileUrl: null, settings: {} };

function batchForm() {
  const form = new FormData();
  const file = $("batch-file").files[0];
  form.append("file", file, file.name);
  for (const [id, name] of BATCH_TEXT) {
    const value = $(id).value.trim();
    if (value) form.append(name, value);
  }
  for (const [id, name] of BATCH_CHECKS) if ($(id).checked) form.append(name, "true");
  return form;
}

function showBatchError(payload) {
  showError($("batch-error"), payload, $("batch-form"), "batch-"); // batch-households, batch-on, batch-pph …
}

/* ---- the totals ---- */

function showSummary(totals) {
  const tbody = $("batch-summary").querySelector("tbody");
  tbody.replaceChildren();
  for (const [key, label] of SUMMARY_LABELS) {
    if (totals[key] === undefined || (key.endsWith("_rows") && !totals[key])) continue;
    const tr = document.createElement("tr");
    const value =
      totals[key] === null
        ? "—（无数值指标 no figure）" // no row has a figure: never 0
        : typeof totals[key] === "number"
          ? totals[key].toLocaleString("zh-CN")
          : String(totals[key]);
    tr.append(text("th", label), text("td", value));
    tr.firstChild.scope = "row";
    tr.lastChild.id = `batch-${key.replaceAll("_", "-")}`;
    tbody.append(tr);
  }
  for (const kind of totals.errors_by_kind || []) {
    const tr = document.createElement("tr");
    tr.className = "error-kind";
    tr.append(text("th", `出错：${kind.zh} errors: ${kind.en}`), text("td", kind.rows.toLocaleString("zh-CN")));
    tr.firstChild.scope = "row";
    tbody.append(tr);
  }
}

/* ---- the rows: a page at a time, all or the failed ones ---- */

function shownRows() {
  const rows = batch.answer.rows;
  return batch.failedOnly ? rows.filter((r) => r.error) : rows;
}

function tableHead(answer) {
  const tr = document.createElement("tr");
  const heads = ["行 row", ...(answer.rows.some((r) => r.line) ? ["文件行号 line"] : []), "编号 id", "名称 name",
    ...(answer.areas ? ["居住区 area"] : []),
    ...answer.quantities.map((q) => `${q.zh}（${q.unit}）${answer.areas ? "份额 share" : ""}`),
    "依据 rule that bound", "状态或错误 status or error"];
  if (answer.map) heads.push("地图 map");
  for (const h of heads) {
    const th = text("th", h);
    th.scope = "col";
    tr.append(th);
  }
  $("batch-rows-table").querySelector("thead").replaceChildren(tr);
}

function figureText(row, q) {
  const value = row.figures[q.column];
  if (value === null || value === undefined) return row.error ? "—" : "无指标 no figure";
  const stated = row.stated[q.column];
  const shown = stated !== undefined ? stated : value;
  const words = `${Number(shown).toLocaleString("zh-CN", { maximumFractionDigits: 2 })}`;
  return stated !== undefined ? `${words}（计算值 ${value}）` : words;
}

function areaText(area) {
  if (!area || area.id === null) return "";
  return area.host ? `${area.id}（承建 host）` : `${area.id}（设于 in ${area.host_id}）`;
}

/* The residential areas of a batch sized by area: each area's parcels, host and figures (issue 29). */
function showAreas(answer) {
  $("batch-areas-box").hidden = !answer.areas;
  if (!answer.areas) return;
  const heads = ["居住区 area", "地块 parcels", "承建地块 host", "户数 households",
    ...answer.quantities.map((q) => `${q.zh}（${q.unit}）`)];
  const tr = document.createElement("tr");
  for (const h of heads) { const th = text("th", h); th.scope = "col"; tr.append(th); }
  const body = answer.areas.map((a) => {
    const row = document.createElement("tr");
    const cells = [a.area_id, a.parcels, a.hosts, a.households,
      ...answer.quantities.map((q) => a[q.column])];
    for (const c of cells) row.append(text("td", c === null || c === undefined ? "—" : String(c)));
    return row;
  });
  $("batch-areas").querySelector("thead").replaceChildren(tr);
  $("batch-areas").querySelector("tbody").replaceChildren(...body);
}

function statusCell(row) {
  const td = document.createElement("td");
  if (row.error) {
    td.className = "row-error";
    td.append(text("strong", `${row.error.kind_zh} ${row.error.kind_en}`), text("div", row.error.zh, "zh"));
    if (row.error.en) td.append(text("div", row.error.en, "en"));
  } else {
    td.textContent = row.flags.length ? row.flags.join("、") : "已计算 sized";
  }
  return td;
}

function rowElement(row, answer) {
  const tr = document.createElement("tr");
  tr.id = `batch-row-${row.row}`;
  tr.className = row.error ? "failed" : "sized";
  const th = text("th", String(row.row));
  th.scope = "row";
  tr.append(th);
  if (answer.rows.some((r) => r.line)) tr.append(text("td", row.line ? String(row.line) : ""));
  tr.append(text("td", row.id === null ? "" : String(row.id), "id"), text("td", row.name === null ? "" : String(row.name)));
  if (answer.areas) tr.append(text("td", areaText(row.area)));
  for (const q of answer.quantities) tr.append(text("td", figureText(row, q), "figure"));
  const bound = answer.quantities.filter((q) => row.bound[q.column] !== undefined)
    .map((q) => `${q.zh}：${answer.bases[row.bound[q.column]]}`);
  tr.append(text("td", bound.join("\n"), "bound"), statusCell(row));
  if (answer.map) {
    const td = document.createElement("td");
    const drawn = answer.map.features.some((f) => f.properties.row === row.row);
    if (drawn) {
      const button = text("button", "定位 show", "plain locate");
      button.type = "button";
      button.setAttribute("aria-label", `在地图上显示第 ${row.row} 行 show row ${row.row} on the map`);
      button.addEventListener("click", () => batch.map && batch.map.select(row.row));
      td.append(button);
    }
    tr.append(td);
  }
  return tr;
}

function showPage() {
  const rows = shownRows();
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
  batch.page = Math.min(Math.max(0, batch.page), pages - 1);
  const first = batch.page * PAGE_ROWS;
  const tbody = $("batch-rows-table").querySelector("tbody");
  tbody.replaceChildren(...rows.slice(first, first + PAGE_ROWS).map((row) => rowElement(row, batch.answer)));
  const total = batch.answer.rows.length;
  const failed = batch.answer.rows.filter((r) => r.error).length;
  $("batch-count").textContent = rows.length
    ? `共 ${total} 行，出错 ${failed} 行；显示第 ${first + 1}–${Math.min(first + PAGE_ROWS, rows.length)} 行（共 ${rows.length} 行）`
      + ` — ${total} rows, ${failed} failed; showing ${first + 1}–${Math.min(first + PAGE_ROWS, rows.length)} of ${rows.length}`
    : `共 ${total} 行，没有出错的行 — ${total} rows, none failed`;
  $("batch-page").textContent = `第 ${batch.page + 1} / ${pages} 页 page ${batch.page + 1} of ${pages}`;
  $("batch-prev").disabled = batch.page === 0;
  $("batch-next").disabled = batch.page >= pages - 1;
}

function goToRow(rowNumber) {
  if (batch.failedOnly && !batch.answer.rows[rowNumber - 1].error) {
    batch.failedOnly = false;
    $("batch-failed-only").checked = false;
  }
  const index = shownRows().findIndex((r) => r.row === rowNumber);
  batch.page = Math.floor(index / PAGE_ROWS);
  showPage();
  const tr = $(`batch-row-${rowNumber}`);
  if (!tr) return;
  for (const other of document.querySelectorAll("#batch-rows-table tr.chosen")) other.classList.remove("chosen");
  tr.classList.add("chosen");
  tr.scrollIntoView({ block: "nearest" });
}

$("batch-failed-only").addEventListener("change", () => {
  batch.failedOnly = $("batch-failed-only").checked;
  batch.page = 0;
  showPage();
});
$("batch-prev").addEventListener("click", () => { batch.page -= 1; showPage(); });
$("batch-next").addEventListener("click", () => { batch.page += 1; showPage(); });

/* ---- the map: the uploaded parcels, coloured by the requirement ---- */

function showMap(answer) {
  if (batch.map) batch.map.destroy();
  batch.map = null;
  $("batch-map-box").hidden = !answer.map;
  if (!answer.map) return;
  const features = answer.map.features;
  const failed = features.filter((f) => f.properties.status === "error").length;
  const none = features.filter((f) => f.properties.status === "none").length;
  const cut = answer.map_rows < answer.rows.length ? `（仅前 ${answer.map_rows} 行 first ${answer.map_rows} rows only）` : "";
  $("batch-map-caption").textContent = `地图显示 ${features.length} 个地块${cut}，按${answer.map_words.legend}着色；`
    + `出错 ${failed} 个（灰色），无指标 ${none} 个（虚线轮廓）。用 Tab 键可逐个选中地块、回车查看；下表「定位」在地图上显示该行。`
    + ` — ${features.length} parcels coloured by the requirement; ${failed} failed (grey), ${none} with no figure (dashed).`
    + " Tab through the parcels and press Enter, or press “show” in the table.";
  const settings = batch.settings;
  batch.map = FacilityMap.draw($("batch-map"), {
    features: answer.map,
    words: answer.map_words,
    tiles: settings.tile_url ? { url: settings.tile_url, attribution: settings.tile_attribution } : null,
    onSelect: goToRow,
  });
}

/* ---- showing an answer, sizing a file, the downloads ---- */

function showAnswer(answer) {
  batch.answer = answer;
  batch.page = 0;
  showSummary(answer.summary);
  showAreas(answer);
  tableHead(answer);
  $("batch-result").hidden = false;
  showPage();
  showMap(answer);
}

async function sizeBatch() {
  clearErrors($("batch-form"));
  $("batch-error").hidden = true;
  $("batch-restored").hidden = true;
  if (!$("batch-file").files[0]) {
    $("batch-file-error").textContent = "请选择要计算的文件 — choose the file to size";
    $("batch-file-error").hidden = false;
    $("batch-file").setAttribute("aria-invalid", "true");
    return;
  }
  const form = batchForm();
  batch.form = form;
  $("batch-button").disabled = true;
  $("batch-progress").textContent = "计算中… sizing…";
  try {
    const headers = { "X-Message-Audience": "page" };
    // how the page wants its answer (the figure a letter states) is the query; the form is the batch's options
    const query = `round_area=${encodeURIComponent($("batch-round-area").value)}`;
    batch.query = query;
    const [rows, file] = await Promise.all([
      fetch(`/batch/rows?${query}`, { method: "POST", body: form, headers }),
      fetch("/batch", { method: "POST", body: form, headers }),
    ]);
    if (!rows.ok) {
      $("batch-result").hidden = true;
      return showBatchError(await rows.json());
    }
    const answer = await rows.json();
    showAnswer(answer);
    if (file.ok) setResultFile(await file.blob(), fileName(file, "result"));
    $("batch-letters").disabled = false;
    const kept = JSON.stringify(answer).length < 2_000_000 ? answer : null; // a large file: its inputs only
    save("batch", { inputs: inputsOf(BATCH_INPUTS), file: $("batch-file").files[0].name, answer: kept });
  } catch (err) {
    showError($("batch-error"), null);
  } finally {
    $("batch-button").disabled = false;
    $("batch-progress").textContent = "";
  }
}

function setResultFile(blob, name) {
  if (batch.fileUrl) URL.revokeObjectURL(batch.fileUrl);
  batch.fileUrl = URL.createObjectURL(blob);
  const link = $("batch-download");
  link.href = batch.fileUrl;
  link.download = name;
  link.dataset.filename = name;
  link.removeAttribute("aria-disabled");
}

$("batch-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sizeBatch();
});

$("batch-letters").addEventListener("click", async () => {
  if (!batch.form) return;
  const status = $("batch-letters-status");
  status.textContent = "正在生成条件书… writing the letters…";
  $("batch-letters").disabled = true;
  try {
    const response = await fetch(`/batch/letters?lang=zh&${batch.query}`, {
      method: "POST", body: batch.form, headers: { "X-Message-Audience": "page" },
    });
    if (!response.ok) {
      showBatchError(await response.json());
      status.textContent = "";
      return;
    }
    const name = fileName(response, "条件书.zip");
    saveBlob(await response.blob(), name);
    status.textContent = `已下载 ${name} — downloaded`;
  } catch (err) {
    showError($("batch-error"), null);
    status.textContent = "";
  } finally {
    $("batch-letters").disabled = false;
  }
});

/* ---- start: the page's settings, and the last batch if this browser kept it ---- */

function restoreBatch() {
  const entry = load("batch");
  if (!entry) return;
  restoreInputs(entry.value.inputs);
  if (!entry.value.answer) return;
  showAnswer(entry.value.answer);
  $("batch-restored").textContent = `上次的结果（${entry.value.file}），保存于 ${savedAt(entry)}；重新选择文件并计算后可下载 — `
    + "the last result, kept in this browser; choose the file again and size it to download";
  $("batch-restored").hidden = false;
  $("batch-download").removeAttribute("href");
  $("batch-download").setAttribute("aria-disabled", "true");
  $("batch-letters").disabled = true;
}

fetch("/page/settings").then((r) => r.json()).then((settings) => {
  batch.settings = settings;
}).catch(() => undefined).finally(restoreBatch);
