// The field limits both pages show and the server enforces (chalicelib/limits.py). The server
// sends them as `limits` (the monitor: POST /api/login and GET /api/me; the patron's window:
// a library's availability); until then these defaults, equal to the server's, apply.
//
// Fields say which limit they take: `data-limit="text"` gets maxlength; an element marked
// `data-limit-text="descriptive_codes"` shows the number as its text.

const DEFAULTS = Object.freeze({
  text: 4000, // a message, note, question or pushed URL
  name: 200, // a patron's name
  email: 254,
  code: 64, // a wrap-up code's id
  code_label: 100,
  descriptive_codes: 4, // descriptive codes per chat
  password_min: 10, // a librarian's password
  password_max: 256,
  library_name: 200, // a library's settings and policy page (the Library tab)
  hours: 500,
  unavailable_message: 1000,
  url: 2000, // a library's website or an alternative's address
  alternatives: 20,
  alternative_label: 200,
  wait_max_s: 86400,
  give_up_min_s: 60,
  retention_days_min: 30,
  retention_days_max: 3650,
  policy_sections: 20,
  policy_title: 120,
  policy_text: 4000,
  canned_messages: 200, // a library's canned messages (each text: `text`)
  canned_title: 100, // a canned message's title
  page_url: 2000, // the page a patron asks from (not sent by the server: this default holds)
  rating_comment: 1000, // a patron's comment with their rating of a chat
  report_days: 366, // the longest range of one report (the Reports tab)
});

/** The current limits: read them when they are needed, never copy them at load time. */
export const limits = { ...DEFAULTS };

/** Take the server's limits (unknown keys and odd values are ignored), then apply them. */
export function setLimits(fromServer) {
  if (fromServer && typeof fromServer === "object") {
    for (const key of Object.keys(DEFAULTS)) {
      const value = fromServer[key];
      if (Number.isInteger(value) && value > 0) limits[key] = value;
    }
  }
  applyLimits();
}

/** Size every marked field in `root` (and `root` itself) by the current limits. */
export function applyLimits(root = document) {
  const marked = (selector) => [
    ...(root.matches?.(selector) ? [root] : []),
    ...root.querySelectorAll(selector),
  ];
  for (const field of marked("[data-limit]")) {
    const value = limits[field.dataset.limit];
    if (value) field.setAttribute("maxlength", String(value));
  }
  for (const node of marked("[data-limit-text]")) {
    const value = limits[node.dataset.limitText];
    if (value) node.textContent = String(value);
  }
}

/** Attributes for a field built in script: `el("textarea", {attrs: {...limitAttrs("text")}})`. */
export function limitAttrs(kind) {
  return { "data-limit": kind, maxlength: String(limits[kind]) };
}

/** A number in a sentence that follows the limit: "up to <span>4</span> descriptive codes". */
export function limitText(kind) {
  const node = document.createElement("span");
  node.dataset.limitText = kind;
  node.textContent = String(limits[kind]);
  return node;
}
