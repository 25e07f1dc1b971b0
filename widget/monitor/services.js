// What the monitor's parts (wrap-up, Questions, Codes) may ask of it, in one object, so they
// need neither the shared state nor each other.

import { api, endpoints } from "/widget/refdesk-socket.js";
import { state } from "./state.js";
import { activateTab } from "./tabs.js";

const { api: API } = endpoints();
let questions = null;

export const services = {
  me: () => state.me,
  socket: () => state.socket,
  // While logging out (the token is being revoked) nothing more is asked with the sign-in.
  rest: (path, options = {}) =>
    state.leaving
      ? Promise.reject({ status: 401, code: "unauthorized", message: "Logging out." })
      : api(API, path, { ...options, token: state.token }),
  showTab: (name) => activateTab(name, { focus: false }),
  openQuestion: (id) => questions?.open(id),
};

/** The Questions tab, once it is set up (it takes these services too). */
export function provideQuestions(tab) {
  questions = tab;
}
