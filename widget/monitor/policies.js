// Each library's policy page (GET /api/libraries/{id}/policy: its name, hours, alternatives
// and dated sections), fetched once per library and kept until sign-out. When an admin saves
// the policy or the settings, the new page replaces the old and whatever shows it is told.

import { api, endpoints } from "/widget/refdesk-socket.js";
import { state } from "./state.js";

const { api: API } = endpoints();
const cache = new Map(); // library id -> Promise<policy>
const changed = []; // listeners: (id, policy)

/** The library's policy page, fetched the first time it is asked for. */
export function libraryPolicy(id) {
  if (!cache.has(id)) {
    const loading = api(API, `/libraries/${encodeURIComponent(id)}/policy`, { token: state.token });
    cache.set(id, loading);
    loading.catch(() => {
      if (cache.get(id) === loading) cache.delete(id); // try again next time
    });
  }
  return cache.get(id);
}

/** Call `listener(id, policy)` whenever a library's policy page is replaced. */
export function onPolicyChanged(listener) {
  changed.push(listener);
}

/** A policy page just saved (the PUT's reply): keep it and tell whatever shows it. */
export function rememberPolicy(id, policy) {
  cache.set(id, Promise.resolve(policy));
  for (const listener of changed) listener(id, policy);
}

/** Read the library's page again (its settings changed) and tell whatever shows it. */
export async function reloadPolicy(id) {
  cache.delete(id);
  try {
    rememberPolicy(id, await libraryPolicy(id));
  } catch {
    // shown as it was; the next look fetches it again
  }
}

export function forgetPolicies() {
  cache.clear();
}
