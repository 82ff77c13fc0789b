/* 托育设施配建计算 · what the page's parts share: errors shown by their field, the date fields, saved inputs.
   Plain JavaScript; nothing loaded from elsewhere. */
"use strict";

const $ = (id) => document.getElementById(id);

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

/* ---- errors: the service's words (for the page: its own labels), and under the field they are about ---- */

/* The page's input for each field the service names, by form (the batch's inputs are "batch-…"). */
const FIELD_IDS = {
  jurisdiction: "jurisdiction",
  area_type: "area-type",
  households: "households",
  population: "population",
  persons_per_household: "pph",
  on: "on",
  trust: "trust",
  file: "file",
};

function clearErrors(form) {
  for (const small of form.querySelectorAll(".field-error")) {
    small.hidden = true;
    small.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

function showError(box, payload, form, prefix) {
  const e = (payload && payload.error) || {};
  box.replaceChildren();
  if (!e.message_zh) {
    box.append(text("p", "请求失败，请检查服务是否在运行 — the request failed; is the service running?"));
    box.hidden = false;
    return;
  }
  box.append(text("p", e.message_zh, "zh"), text("p", e.message_en, "en"));
  box.hidden = false;
  const id = form && e.field && FIELD_IDS[e.field] ? `${prefix || ""}${FIELD_IDS[e.field]}` : null;
  const input = id && $(id);
  const small = id && $(`${id}-error`);
  if (input && small) {
    small.textContent = e.message_zh;
    small.hidden = false;
    input.setAttribute("aria-invalid", "true");
  }
}

async function postJSON(path, body) {
  return fetch(path, {
    method: "POST",
    // the page's own labels in error messages, not the API's field names
    headers: { "Content-Type": "application/json", "X-Message-Audience": "page" },
    body: JSON.stringify(body),
  });
}

function fileName(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const star = header.match(/filename\*=UTF-8''([^;]+)/);
  if (star) return decodeURIComponent(star[1]);
  const plain = header.match(/filename="([^"]+)"/);
  return plain ? plain[1] : fallback;
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/* ---- dates: typed in any common form, or picked from a calendar ---- */

/* The day a typed date names, as YYYY-MM-DD, for the calendar to open on; "" when it names none.
   Only the calendar reads this: what was typed is sent as typed, and the service says what is wrong. */
function isoDate(typed) {
  const digits = typed.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  const m = digits.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/);
  if (!m) return "";
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return "";
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function setUpDateFields() {
  for (const button of document.querySelectorAll("button.pick")) {
    const input = $(button.dataset.for);
    const picker = document.querySelector(`input.picker[data-for="${button.dataset.for}"]`);
    button.addEventListener("click", () => {
      picker.value = isoDate(input.value) || isoDate(today());
      if (typeof picker.showPicker === "function") {
        try {
          picker.showPicker();
          return;
        } catch (err) {
          /* not allowed here: fall back to focusing it */
        }
      }
      picker.focus();
    });
    picker.addEventListener("change", () => {
      if (!picker.value) return;
      input.value = picker.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.focus();
    });
  }
}

/* ---- the last inputs and results, kept in this browser only ---- */

const STORE = "facility-sizing:";

function save(key, value) {
  try {
    localStorage.setItem(STORE + key, JSON.stringify({ saved: new Date().toISOString(), value }));
    return true;
  } catch (err) {
    return false; // full, or storage switched off: the page works without it
  }
}

function load(key) {
  try {
    const raw = localStorage.getItem(STORE + key);
    return raw ? JSON.parse(raw) : null;
  } catch (err) {
    return null;
  }
}

function clearSaved() {
  for (const key of Object.keys(localStorage)) if (key.startsWith(STORE)) localStorage.removeItem(key);
}

function inputsOf(ids) {
  const out = {};
  for (const id of ids) {
    const el = $(id);
    out[id] = el.type === "checkbox" ? el.checked : el.value;
  }
  return out;
}

function restoreInputs(saved) {
  for (const [id, value] of Object.entries(saved || {})) {
    const el = $(id);
    if (!el) continue;
    if (el.type === "checkbox") el.checked = Boolean(value);
    else el.value = value;
  }
}

function savedAt(entry) {
  return new Date(entry.saved).toLocaleString("zh-CN", { hour12: false });
}
