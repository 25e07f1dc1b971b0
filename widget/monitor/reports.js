// The Reports tab (every librarian): a library's chats over a range of UTC dates, from
// GET /api/reports?library=&from=&to=&format=json. The totals (chats, accepted, unanswered,
// served by the cooperative, uncoded, wait and length, ratings), a weekday x hour grid, chats
// by day, by librarian, by resolution code and by descriptive code, and "Download CSV" (the
// same URL with format=csv, one row per chat, fetched a page at a time and saved as one file).
//
// Every chart's numbers are in a table (with a caption and header cells): the weekday x hour
// grid and the code and librarian bars are tables themselves, shaded or drawn with CSS classes;
// chats by day is an SVG (role=img, summarised in its label) with its table under "Show as a
// table". The page runs under a strict CSP: no style attributes, only classes. Every string
// from the server goes in as text.

import { el, plural, reason, uid, vh, byId as $ } from "/widget/dom.js";
import { limits } from "/widget/limits.js";

const SVG = "http://www.w3.org/2000/svg";
const DAY_MS = 86400000;
const DEFAULT_DAYS = 30; // today and the 29 days before it
const MAX_CSV_PAGES = 1000; // 5,000 rows a page: far more than any library's year
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

// --- dates and numbers -------------------------------------------------------------------------

/** Today's date in UTC, YYYY-MM-DD. */
export function todayUtc(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

function parseDay(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text || "")) return null;
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(time) ? null : time;
}

function addDays(day, days) {
  return new Date(parseDay(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** "Nov 3, 2026" (the librarian's locale), for a UTC date. */
function dayText(day, options = { dateStyle: "medium" }) {
  const time = parseDay(day);
  return time === null ? String(day) : new Date(time).toLocaleDateString([], { ...options, timeZone: "UTC" });
}

function shortDay(day) {
  return dayText(day, { month: "short", day: "numeric" });
}

const numbers = new Intl.NumberFormat();

function count(value) {
  return numbers.format(Number(value) || 0);
}

/** Whole seconds in words: "14 s", "5 min", "2 min 30 s", "1 h 5 min"; null: "None". */
export function seconds(value) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return "None";
  const s = Math.max(0, Math.round(Number(value)));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
  }
  const minutes = Math.round((s % 3600) / 60);
  const hours = Math.floor(s / 3600) + (minutes === 60 ? 1 : 0);
  const shown = minutes === 60 ? 0 : minutes;
  return shown ? `${hours} h ${shown} min` : `${hours} h`;
}

function share(part, whole) {
  return whole ? `${Math.round((100 * part) / whole)}%` : "0%";
}

/** The CSS class of a bar `value` long, against the longest (`w-0` … `w-100`, 5% steps). */
function widthClass(value, longest) {
  if (!longest || !value) return "w-0";
  return `w-${Math.max(5, Math.round((20 * value) / longest) * 5)}`;
}

/** Shades 1-4 by quantile of the distinct counts above zero (the highest always 4); 0 for none. */
function shader(values) {
  const distinct = Array.from(new Set(values.filter((v) => v > 0))).sort((a, b) => a - b);
  const k = distinct.length;
  const shadeOf = (value) => (value > 0 ? 4 - Math.floor((4 * (k - 1 - distinct.indexOf(value))) / k) : 0);
  // The key: the counts each shade stands for.
  const key = [];
  for (let shade = 1; shade <= 4; shade += 1) {
    const these = distinct.filter((v) => shadeOf(v) === shade);
    if (these.length) key.push({ shade, low: these[0], high: these[these.length - 1] });
  }
  return { shadeOf, key };
}

// --- building blocks ---------------------------------------------------------------------------

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) if (child) node.append(child);
  return node;
}

function svgText(x, y, text, className, anchor = "middle") {
  const node = svg("text", { x, y, class: className, "text-anchor": anchor });
  node.textContent = text;
  return node;
}

function tableOf(caption, headers, rows, className = "report-table") {
  return el(
    "table",
    { className },
    el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...headers.map((text) => el("th", { text, attrs: { scope: "col" } })))),
    el("tbody", {}, ...rows),
  );
}

/** A section of the report: a heading and what goes under it. */
function section(title, ...children) {
  const id = uid("report-section");
  return el(
    "section",
    { className: "report-section", attrs: { "aria-labelledby": id } },
    el("h3", { text: title, attrs: { id } }),
    ...children,
  );
}

// --- the parts of a report ---------------------------------------------------------------------

function totalsList(totals) {
  const rating = totals.rating || {};
  const average = rating.average === null || rating.average === undefined
    ? "None"
    : `${new Intl.NumberFormat([], { maximumFractionDigits: 2 }).format(rating.average)} of 5`;
  const items = [
    ["Chats", count(totals.chats)],
    ["Accepted", count(totals.accepted)],
    ["Unanswered", count(totals.unanswered)],
    ["Served by the cooperative", count(totals.served_by_cooperative)],
    ["No resolution code", count(totals.uncoded)],
    ["Median wait", seconds(totals.wait_s?.median)],
    ["90th-percentile wait", seconds(totals.wait_s?.p90)],
    ["Median length", seconds(totals.duration_s?.median)],
    ["90th-percentile length", seconds(totals.duration_s?.p90)],
    ["Ratings", count(rating.count)],
    ["Average rating", average],
  ];
  return el(
    "dl",
    { className: "report-totals" },
    ...items.map(([term, value]) => el("div", { className: "report-total" }, el("dt", { text: term }), el("dd", { text: value }))),
  );
}

/** The weekday x hour grid: a table whose cells are shaded by how many chats started then. */
function weekdayHourGrid(cells) {
  const grid = WEEKDAYS.map(() => new Array(24).fill(0));
  for (const cell of cells || []) {
    if (grid[cell.weekday] && cell.hour >= 0 && cell.hour < 24) grid[cell.weekday][cell.hour] = Number(cell.chats) || 0;
  }
  const { shadeOf, key } = shader(grid.flat());
  const captionId = uid("grid-caption");
  const table = el(
    "table",
    { className: "report-grid" },
    el("caption", { text: "Chats by weekday and hour they started. Hours in UTC.", attrs: { id: captionId } }),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { attrs: { scope: "col" } }, vh("Weekday")),
        ...Array.from({ length: 24 }, (_, hour) => el("th", { text: String(hour).padStart(2, "0"), attrs: { scope: "col" } })),
      ),
    ),
    el(
      "tbody",
      {},
      ...grid.map((hours, weekday) =>
        el(
          "tr",
          {},
          el("th", { text: WEEKDAYS[weekday], attrs: { scope: "row" } }),
          // An hour with none is blank on screen (the shading reads more easily) and "0" when read out.
          ...hours.map((value) =>
            value ? el("td", { className: `shade-${shadeOf(value)}`, text: String(value) }) : el("td", { className: "shade-0" }, vh("0")),
          ),
        ),
      ),
    ),
  );
  const offset = -new Date().getTimezoneOffset();
  const clock = offset
    ? ` Your computer's clock is ${offset > 0 ? "ahead of" : "behind"} UTC by ${seconds(Math.abs(offset) * 60)} now.`
    : "";
  const legend = el(
    "p",
    { className: "grid-key", attrs: { "aria-hidden": "true" } },
    "Shading: ",
    el("span", { className: "swatch shade-0" }),
    " none",
    ...key.flatMap(({ shade, low, high }) => [
      " · ",
      el("span", { className: `swatch shade-${shade}` }),
      ` ${low === high ? low : `${low}–${high}`}`,
    ]),
  );
  return section(
    "Weekdays and hours",
    el("p", { className: "hint", text: `Each column is the hour starting then, in UTC.${clock}` }),
    el("div", { className: "scroll-x", attrs: { tabindex: "0", role: "group", "aria-labelledby": captionId } }, table),
    legend,
  );
}

/** Chats by day: bars in an SVG (summarised in its label), and the numbers as a table. */
function byDayChart(days, from, to) {
  const values = days.map((day) => Number(day.chats) || 0);
  const highest = Math.max(0, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const busiest = days[values.indexOf(highest)];
  const W = 720;
  const H = 180;
  const left = 40;
  const right = 8;
  const top = 12;
  const bottom = 28;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const step = plotW / Math.max(days.length, 1);
  const gap = step > 4 ? Math.max(step * 0.2, step - 40) : 0; // a bar is 40 wide at most
  const scale = Math.max(highest, 1);
  const bars = days.map((day, index) => {
    const value = values[index];
    if (!value) return null;
    const height = Math.max((plotH * value) / scale, 1);
    const rect = svg("rect", {
      class: "bar",
      x: (left + index * step + gap / 2).toFixed(2),
      y: (top + plotH - height).toFixed(2),
      width: Math.max(step - gap, 0.5).toFixed(2),
      height: height.toFixed(2),
    });
    const tip = svg("title");
    tip.textContent = `${dayText(day.day)}: ${plural(value, "chat")}`;
    rect.append(tip);
    return rect;
  });
  const labelled = days.length > 2 ? [0, Math.floor((days.length - 1) / 2), days.length - 1] : days.map((_, i) => i);
  const xLabels = labelled.map((index) =>
    svgText(left + index * step + step / 2, H - 8, shortDay(days[index].day), "axis-label"),
  );
  const summary = total
    ? `Chats by day, ${dayText(from)} to ${dayText(to)}: ${plural(total, "chat")}; the most on ${dayText(busiest.day)} (${highest}).`
    : `Chats by day, ${dayText(from)} to ${dayText(to)}: none.`;
  const chart = svg(
    "svg",
    { class: "report-days-chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": summary },
    svg("line", { class: "grid-line", x1: left, x2: W - right, y1: top, y2: top }),
    svg("line", { class: "axis", x1: left, x2: W - right, y1: top + plotH, y2: top + plotH }),
    svgText(left - 6, top + 4, String(highest), "axis-label", "end"),
    svgText(left - 6, top + plotH + 4, "0", "axis-label", "end"),
    ...bars,
    ...xLabels,
  );
  const table = tableOf(
    "Chats by day (UTC dates)",
    ["Day", "Chats"],
    days.map((day, index) =>
      el(
        "tr",
        {},
        el("th", { attrs: { scope: "row" } }, el("time", { text: dayText(day.day), attrs: { datetime: day.day } })),
        el("td", { text: count(values[index]) }),
      ),
    ),
  );
  return section(
    "Chats by day",
    chart,
    el("details", { className: "as-table" }, el("summary", { text: "Show as a table" }), table),
  );
}

/** Counts as a table with a bar in each row (CSS-class widths), most first as the server sent. */
function barTable(title, caption, firstHeader, rows, total, empty) {
  if (!rows.length) return section(title, el("p", { className: "empty", text: empty }));
  const longest = Math.max(...rows.map((row) => row.chats));
  return section(
    title,
    el(
      "table",
      { className: "report-table report-bars" },
      el("caption", { className: "visually-hidden", text: caption }),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ...[firstHeader, "Chats", "Share of chats"].map((text) => el("th", { text, attrs: { scope: "col" } })),
        ),
      ),
      el(
        "tbody",
        {},
        ...rows.map((row) =>
          el(
            "tr",
            {},
            el("th", { text: row.label, className: row.muted ? "no-code" : "", attrs: { scope: "row" } }),
            el(
              "td",
              {},
              el(
                "span",
                { className: "bar-cell" },
                el("span", { className: "bar-track", attrs: { "aria-hidden": "true" } }, el("span", { className: `bar ${widthClass(row.chats, longest)}` })),
                el("span", { className: "bar-value", text: count(row.chats) }),
              ),
            ),
            el("td", { text: share(row.chats, total) }),
          ),
        ),
      ),
    ),
  );
}

// --- the tab -------------------------------------------------------------------------------------

/**
 * Builds the tab's content in #panel-reports.
 * @param services {rest(path, options), restResponse(path), me()}
 * @returns {{activate(): void, reset(): void}}
 */
export function setupReports(services) {
  const panel = $("panel-reports");
  const from = el("input", { attrs: { id: uid("report-from"), type: "date", required: true } });
  const to = el("input", { attrs: { id: uid("report-to"), type: "date", required: true } });
  const library = el("select", { attrs: { id: uid("report-library") } });
  const libraryField = el(
    "div",
    { className: "report-field", attrs: { hidden: true } },
    el("label", { text: "Library", attrs: { for: library.id } }),
    library,
  );
  const hint = el("p", {
    className: "hint",
    attrs: { id: uid("report-hint") },
    text: "Dates in UTC; both days are included.",
  });
  const show = el("button", { className: "primary", text: "Show report", attrs: { type: "submit" } });
  const form = el(
    "form",
    { className: "report-form", attrs: { novalidate: true } },
    el("div", { className: "report-field" }, el("label", { text: "From", attrs: { for: from.id } }), from),
    el("div", { className: "report-field" }, el("label", { text: "To", attrs: { for: to.id } }), to),
    libraryField,
    el("div", { className: "report-buttons" }, show),
    hint,
  );
  const message = el("p", { className: "list-message", attrs: { role: "status" } });
  const error = el("p", { className: "error", attrs: { role: "alert", id: uid("report-error") } });
  for (const input of [from, to]) input.setAttribute("aria-describedby", `${hint.id} ${error.id}`);
  const results = el("div", { className: "report-results" });
  panel.replaceChildren(
    el("h2", { className: "list-title", text: "Reports" }),
    form,
    message,
    error,
    results,
  );

  let shown = null; // the report on screen
  let asked = 0; // the latest request: an earlier one's reply is ignored
  let downloading = false;
  let touched = false; // the librarian changed the form

  function clearInvalid() {
    for (const input of [from, to]) input.removeAttribute("aria-invalid");
  }

  function refuse(input, text) {
    input.setAttribute("aria-invalid", "true");
    error.textContent = text;
    input.focus();
    return null;
  }

  /** The form's dates, checked; null (with the reason shown) when they will not do. */
  function chosenRange() {
    clearInvalid();
    const start = parseDay(from.value);
    const end = parseDay(to.value);
    if (start === null) return refuse(from, "Choose the first day of the report.");
    if (end === null) return refuse(to, "Choose the last day of the report.");
    if (start > end) return refuse(from, "From must be on or before To.");
    const most = limits.report_days || 366;
    if ((end - start) / DAY_MS + 1 > most) return refuse(from, `A report covers at most ${most} days.`);
    return { from: from.value, to: to.value };
  }

  function query(range, extra = {}) {
    const params = new URLSearchParams();
    const chosen = range.library || (libraryField.hidden ? "" : library.value);
    if (chosen) params.set("library", chosen);
    if (range.from) params.set("from", range.from);
    if (range.to) params.set("to", range.to);
    for (const [name, value] of Object.entries(extra)) params.set(name, value);
    return `/reports?${params}`;
  }

  async function load(range) {
    const mine = ++asked;
    error.textContent = "";
    message.textContent = "Loading the report…";
    show.disabled = true;
    try {
      const report = await services.rest(query(range, { format: "json" }));
      if (mine !== asked) return;
      render(report);
      message.textContent = `Report shown: ${plural(report.totals?.chats || 0, "chat")}.`;
    } catch (problem) {
      if (mine !== asked) return;
      message.textContent = "";
      const text = reason(problem);
      error.textContent = `Could not load the report: ${text}`;
      if (problem?.status === 400 && /from|to|date|day/i.test(text)) from.setAttribute("aria-invalid", "true");
    } finally {
      if (mine === asked) show.disabled = false;
    }
  }

  function renderLibraries(report) {
    const choices = report.libraries || [];
    library.replaceChildren(
      ...choices.map((item) => el("option", { text: item.name || item.library_id, attrs: { value: item.library_id } })),
    );
    library.value = report.library;
    libraryField.hidden = choices.length <= 1;
  }

  function render(report) {
    shown = report;
    from.value = report.from;
    to.value = report.to;
    clearInvalid();
    renderLibraries(report);
    const totals = report.totals || {};
    const download = el("button", { text: "Download CSV", attrs: { type: "button", "aria-describedby": uid("csv-hint") } });
    const csvHint = el("p", {
      className: "hint",
      text: "One row per chat, times in UTC, for a spreadsheet.",
      attrs: { id: download.getAttribute("aria-describedby") },
    });
    download.addEventListener("click", () => downloadCsv(download));
    const head = el(
      "div",
      { className: "report-head" },
      el("h3", {
        className: "report-title",
        text: `${report.library_name || report.library}, ${dayText(report.from)} to ${dayText(report.to)}`,
      }),
      el("div", { className: "report-download" }, download, csvHint),
    );
    if (!totals.chats) {
      results.replaceChildren(head, el("p", { className: "empty report-empty", text: "No chats in this period." }));
      download.hidden = true;
      csvHint.hidden = true;
      return;
    }
    const resolution = (report.by_resolution || []).map((row) => ({ ...row, label: row.label || row.code || "No code", muted: row.code === null }));
    const descriptive = (report.by_descriptive || []).map((row) => ({ ...row, label: row.label || row.code }));
    const librarians = (report.by_librarian || []).map((row) => ({ label: row.librarian, chats: row.chats }));
    results.replaceChildren(
      head,
      section("Totals", totalsList(totals)),
      weekdayHourGrid(report.by_weekday_hour),
      byDayChart(report.by_day || [], report.from, report.to),
      el(
        "div",
        { className: "report-columns" },
        barTable("Resolution codes", "Chats by resolution code", "Resolution code", resolution, totals.chats, "No chats were coded."),
        barTable(
          "Descriptive codes",
          "Chats by descriptive code (a chat may have several)",
          "Descriptive code",
          descriptive,
          totals.chats,
          "No descriptive codes in this period.",
        ),
        barTable("Librarians", "Chats by librarian", "Librarian", librarians, totals.chats, "No chat was accepted in this period."),
      ),
    );
  }

  /** Every page of the CSV (X-Next-Cursor → &after=), joined as they came, saved as one file. */
  async function downloadCsv(button) {
    if (!shown || downloading) return;
    const report = shown;
    const range = { library: report.library, from: report.from, to: report.to };
    downloading = true;
    button.disabled = true;
    error.textContent = "";
    message.textContent = "Preparing the CSV…";
    try {
      const parts = [];
      let after = null;
      for (let page = 0; page < MAX_CSV_PAGES; page += 1) {
        const response = await services.restResponse(query(range, { format: "csv", ...(after ? { after } : {}) }));
        parts.push(await response.arrayBuffer()); // bytes as sent: the first page's BOM stays
        const next = response.headers.get("X-Next-Cursor");
        if (!next || next === after) break;
        after = next;
      }
      const name = `refdesk-${report.library}-${report.from}-${report.to}.csv`;
      const url = URL.createObjectURL(new Blob(parts, { type: "text/csv;charset=utf-8" }));
      const link = el("a", { attrs: { href: url, download: name, hidden: true } });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      message.textContent = `CSV downloaded: ${name}`;
    } catch (problem) {
      message.textContent = "";
      error.textContent = `Could not download the CSV: ${reason(problem)}`;
    } finally {
      downloading = false;
      button.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.textContent = "";
    const range = chosenRange();
    if (range) load(range);
  });
  form.addEventListener("input", () => {
    touched = true;
    clearInvalid();
  });

  function defaults() {
    to.value = todayUtc();
    from.value = addDays(to.value, 1 - DEFAULT_DAYS);
  }

  return {
    /** Shown for the first time since sign-in: the last 30 days (the server's default range). */
    activate() {
      if (shown || show.disabled) return; // shown, or on its way
      if (!from.value || !to.value) defaults();
      // Untouched, the server's default range (its today, not this computer's); else the form's.
      load(touched ? { from: from.value, to: to.value } : {});
    },
    reset() {
      asked += 1; // a reply still on its way is for the librarian signed in before
      shown = null;
      downloading = false;
      touched = false;
      form.reset();
      library.replaceChildren();
      libraryField.hidden = true;
      clearInvalid();
      show.disabled = false;
      message.textContent = "";
      error.textContent = "";
      results.replaceChildren();
    },
  };
}
