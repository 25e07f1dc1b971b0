// Each library's wrap-up code lists (GET /api/libraries/{id}/codes), fetched once per library
// and kept until sign-out, or replaced when an admin saves new lists.

const cache = new Map(); // library id -> Promise<{resolution, descriptive}>

export function codeLists(rest, library) {
  if (!cache.has(library)) {
    const loading = rest(`/libraries/${encodeURIComponent(library)}/codes`);
    cache.set(library, loading);
    loading.catch(() => {
      if (cache.get(library) === loading) cache.delete(library); // try again next time
    });
  }
  return cache.get(library);
}

export function rememberCodeLists(library, lists) {
  cache.set(library, Promise.resolve(lists));
}

export function forgetCodeLists() {
  cache.clear();
}
