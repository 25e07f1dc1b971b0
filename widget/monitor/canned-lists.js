// Each library's canned messages (GET /api/libraries/{id}/canned), fetched once per library and
// kept until sign-out; an admin's save (canned-editor.js) replaces its library's list at once.

const cache = new Map(); // library id -> Promise<[{title, text}]>

/** The library's canned messages, from the server the first time they are asked for. */
export function cannedMessages(rest, library) {
  if (!cache.has(library)) {
    const loading = rest(`/libraries/${encodeURIComponent(library)}/canned`).then((reply) => reply.messages || []);
    cache.set(library, loading);
    loading.catch(() => {
      if (cache.get(library) === loading) cache.delete(library); // try again next time
    });
  }
  return cache.get(library);
}

export function rememberCanned(library, messages) {
  cache.set(library, Promise.resolve(messages));
}

export function forgetCanned() {
  cache.clear();
}
