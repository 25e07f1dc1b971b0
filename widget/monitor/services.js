// What the monitor's parts (wrap-up, Questions, Codes, Reports) may ask of it, in one object, so they
// need neither the shared state nor each other.

import { api, endpoints } from "/widget/refdesk-socket.js";
import { state } from "./state.js";
import { activateTab } from "./tabs.js";

const { api: API } = endpoints();
let questions = null;
const LEAVING = { status: 401, code: "unauthorized", message: "Logging out." };

/** A REST call whose reply is not JSON (a report's CSV): the Response itself, for its bytes
 * and headers; an error status rejects with the {code, message} body, as `api` does. */
async function fetchResponse(path) {
  const response = await fetch(API + path, {
    headers: { Authorization: `Bearer ${state.token}` },
    credentials: "omit",
  });
  if (!response.ok) {
    const payload = await response.json().catch(() => ({}));
    throw { status: response.status, ...payload };
  }
  return response;
}

export const services = {
  me: () => state.me,
  socket: () => state.socket,
  // While logging out (the token is being revoked) nothing more is asked with the sign-in.
  rest: (path, options = {}) =>
    state.leaving ? Promise.reject(LEAVING) : api(API, path, { ...options, token: state.token }),
  restResponse: (path) => (state.leaving ? Promise.reject(LEAVING) : fetchResponse(path)),
  showTab: (name) => activateTab(name, { focus: false }),
  openQuestion: (id) => questions?.open(id),
};

/** The Questions tab, once it is set up (it takes these services too). */
export function provideQuestions(tab) {
  questions = tab;
}
