// A reload keeps the patron's chat: its id, the patron's token and the e-mail given, in this
// tab's session storage under one key per library.

export function saveChat(key, { sessionId, token, email }) {
  sessionStorage.setItem(key, JSON.stringify({ session_id: sessionId, patron_token: token, email }));
}

export function dropChat(key) {
  sessionStorage.removeItem(key);
}

/** The saved chat as {sessionId, token, email}, or null (a damaged entry is dropped). */
export function savedChat(key) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) || "null");
    if (saved && saved.session_id && saved.patron_token) {
      return { sessionId: saved.session_id, token: saved.patron_token, email: saved.email || null };
    }
  } catch {
    sessionStorage.removeItem(key);
  }
  return null;
}
