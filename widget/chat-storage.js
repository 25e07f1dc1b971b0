// A reload keeps the patron's chat: its id, the patron's token, the e-mail given and, once the
// chat has ended, whether "How helpful was this chat?" was answered ("rated" or "skipped": it
// is not asked again), in this tab's session storage under one key per library.

const ANSWERS = ["rated", "skipped"];

export function saveChat(key, { sessionId, token, email, rated }) {
  const answered = ANSWERS.includes(rated) ? { rated } : {};
  sessionStorage.setItem(key, JSON.stringify({ session_id: sessionId, patron_token: token, email, ...answered }));
}

export function dropChat(key) {
  sessionStorage.removeItem(key);
}

/** The saved chat as {sessionId, token, email, rated}, or null (a damaged entry is dropped). */
export function savedChat(key) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) || "null");
    if (saved && saved.session_id && saved.patron_token) {
      return {
        sessionId: saved.session_id,
        token: saved.patron_token,
        email: saved.email || null,
        rated: ANSWERS.includes(saved.rated) ? saved.rated : null,
      };
    }
  } catch {
    sessionStorage.removeItem(key);
  }
  return null;
}
