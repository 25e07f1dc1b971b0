// A Refdesk WebSocket that survives drops: the patron widget and the chat monitor share it.
//
// - request(action, fields) sends a frame with a fresh `ref` and resolves with the reply
//   (or rejects with the error frame), as docs/protocol.md describes.
// - sendReliably(action, fields) keeps the frame until its `ack` arrives and sends it again,
//   with the same `ref`, after every reconnect: the server stores it once. These frames go out
//   one at a time, in the order given: the next when the previous is answered (its ack, or an
//   error that is final). The service handles one socket's frames concurrently (API Gateway
//   invokes a Lambda per frame), so two messages sent together could be numbered (seq) in the
//   other order; one at a time, a person's messages keep the order they were written in.
// - A frame refused as `rate_limited` is kept and sent again after the `retry_after` seconds
//   the service gave (the frames behind it wait too, still in order); the page hears of the
//   refusal through onFrame (to say so).
// - A dropped socket reconnects with a backoff; `onOpen` runs first on every new socket (the
//   patron resumes, the librarian monitors), then the unacknowledged frames go again, in
//   order, one at a time.
// - `heartbeat` every 5 minutes keeps API Gateway's 10-minute idle timeout away, and before
//   its 2-hour limit the socket is replaced by a new one, opened first, so nobody notices.

const HEARTBEAT_MS = 5 * 60 * 1000;
const RECYCLE_MS = 110 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 15000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 10000];

export function newRef() {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class RefdeskSocket {
  /**
   * @param {string|(() => string|Promise<string>)} url  the WebSocket URL, or a function that
   *   gives one for each attempt (the monitor fetches a one-time connect ticket for each); an
   *   attempt whose URL cannot be had counts as a failed connect, and is tried again later
   * @param {{onOpen?: (socket: RefdeskSocket) => Promise<void>|void,
   *          onFrame?: (frame: object) => void,
   *          onStatus?: (status: "connecting"|"open"|"reconnecting"|"closed") => void,
   *          recycleMs?: number}} hooks  recycleMs: replace the socket this often (tests shorten it)
   */
  constructor(url, hooks = {}) {
    this.url = url;
    this.hooks = hooks;
    this.recycleMs = hooks.recycleMs || RECYCLE_MS;
    this.ws = null;
    this.waiting = new Map(); // ref -> {resolve, reject, timer}
    this.unacked = new Map(); // ref -> frame, in the order sendReliably was given them
    this.inFlight = null; // the ref of the one unacked frame sent and not answered yet
    this.inFlightTimer = null; // sends it again (same ref) if no answer comes
    this.resendTimer = null; // set while frames wait out a rate_limited reply
    this.attempt = 0;
    this.dialing = null; // the socket of a (re)connect attempt not yet open
    this.stopped = false;
    this.timers = [];
    this.status = "closed";
    this.openWaiters = [];
  }

  connect() {
    this.stopped = false;
    this._open(false);
    return this;
  }

  close() {
    this.stopped = true;
    this._clearTimers();
    clearTimeout(this.inFlightTimer);
    if (this.ws) this.ws.close(1000, "bye");
    this._setStatus("closed");
  }

  /** Resolves once the socket is open and re-synchronised (at once if it already is). */
  whenOpen() {
    if (this.status === "open") return Promise.resolve(this);
    return new Promise((resolve) => this.openWaiters.push(resolve));
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN && this.status === "open";
  }

  request(action, fields = {}) {
    const ref = newRef();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(ref);
        reject({ type: "error", code: "timeout", message: "The service did not answer; try again." });
      }, REQUEST_TIMEOUT_MS);
      this.waiting.set(ref, { resolve, reject, timer });
      if (!this._send({ action, ref, ...fields })) {
        clearTimeout(timer);
        this.waiting.delete(ref);
        reject({ type: "error", code: "offline", message: "Not connected; reconnecting." });
      }
    });
  }

  /** Queue the frame behind any unanswered ones (it is sent at once if there are none); keep it
   * until its ack, and resend it on reconnect. Returns its ref. */
  sendReliably(action, fields = {}) {
    const ref = newRef();
    this.unacked.set(ref, { action, ref, ...fields });
    this._sendNextReliable();
    return ref;
  }

  /** Fire and forget (typing indicators). */
  notify(action, fields = {}) {
    this._send({ action, ...fields });
  }

  // --- internals -------------------------------------------------------------------------

  _send(frame, ws = this.ws) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  /** Send the oldest unacked frame, unless one is already waiting for its answer, the service
   * asked us to wait (rate_limited), or the socket is not open: one at a time keeps the order
   * (the service would handle two frames at once, and number them either way). */
  _sendNextReliable() {
    if (this.inFlight || this.resendTimer || !this.isOpen) return;
    const next = this.unacked.values().next();
    if (next.done) return;
    const frame = next.value;
    this.inFlight = frame.ref;
    this._send(frame);
    // An answer can be lost (a failed invocation): the same ref again is stored once.
    clearTimeout(this.inFlightTimer);
    this.inFlightTimer = setTimeout(() => {
      if (this.inFlight !== frame.ref) return;
      this.inFlight = null;
      this._sendNextReliable();
    }, REQUEST_TIMEOUT_MS);
  }

  /** No answer is awaited for the frame in flight any more (a new socket, or told to wait): it
   * goes again from _sendNextReliable, still first in line. */
  _forgetInFlight() {
    this.inFlight = null;
    clearTimeout(this.inFlightTimer);
  }

  _setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    if (this.hooks.onStatus) this.hooks.onStatus(status);
  }

  async _open(recycling) {
    if (!recycling) this._setStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    let url;
    try {
      url = typeof this.url === "function" ? await this.url() : this.url;
    } catch (error) {
      console.warn("refdesk: no address to connect to", error);
      if (!recycling && !this.stopped) this._retryLater(); // a recycle keeps the socket it has
      return;
    }
    if (this.stopped) return;
    const ws = new WebSocket(url);
    if (!recycling) this.dialing = ws;
    ws.addEventListener("message", (event) => this._receive(event.data));
    ws.addEventListener("open", () => this._opened(ws, recycling));
    ws.addEventListener("close", () => this._closed(ws));
  }

  async _opened(ws, recycling) {
    if (this.dialing === ws) this.dialing = null;
    if (this.stopped) {
      ws.close(1000, "bye"); // closed while this one was still connecting
      return;
    }
    const old = this.ws;
    this.ws = ws;
    this.attempt = 0;
    this._clearTimers();
    this.status = "syncing";
    try {
      if (this.hooks.onOpen) await this.hooks.onOpen(this);
    } catch (error) {
      console.warn("refdesk: re-synchronising after connect failed", error);
    }
    if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return; // replaced, or dropped meanwhile
    this._setStatus("open");
    this._forgetInFlight(); // its answer would have come on the old socket: send it again, first
    this._sendNextReliable();
    for (const resolve of this.openWaiters.splice(0)) resolve(this);
    if (recycling && old) old.close(1000, "replaced");
    this.timers.push(setInterval(() => this._send({ action: "heartbeat" }), HEARTBEAT_MS));
    this.timers.push(setTimeout(() => this._open(true), this.recycleMs));
  }

  _closed(ws) {
    const failedAttempt = ws === this.dialing; // a (re)connect that never opened: try again
    if (failedAttempt) this.dialing = null;
    else if (ws !== this.ws) return; // a replaced socket, or a recycle that never opened
    this._clearTimers();
    for (const { reject, timer } of this.waiting.values()) {
      clearTimeout(timer);
      reject({ type: "error", code: "offline", message: "The connection dropped; try again." });
    }
    this.waiting.clear();
    if (this.stopped) return;
    this._retryLater();
  }

  _retryLater() {
    this._setStatus("reconnecting");
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    this.timers.push(setTimeout(() => this._open(false), delay));
  }

  /** Hold every unacknowledged frame for `seconds`, then send them on again, in order, one at a
   * time (the wait starts once, however many refusals came meanwhile). */
  _resendLater(seconds) {
    this._forgetInFlight();
    if (this.resendTimer) return;
    const ms = Math.max(1, Number(seconds) || 5) * 1000;
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      this._sendNextReliable();
    }, ms);
  }

  _clearTimers() {
    for (const timer of this.timers) {
      clearTimeout(timer);
      clearInterval(timer);
    }
    this.timers = [];
  }

  _receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame.ref && this.unacked.has(frame.ref) && (frame.type === "ack" || frame.type === "error")) {
      if (frame.type === "error" && frame.code === "rate_limited") {
        // Asked to slow down: kept, and sent again (those behind it after it) when the service
        // said it would take it.
        this._resendLater(frame.retry_after);
      } else {
        // Acked, or refused for good (the chat ended, say): not sent again; the next one goes.
        this.unacked.delete(frame.ref);
        if (this.inFlight === frame.ref) this._forgetInFlight();
        this._sendNextReliable();
      }
    }
    const pending = frame.ref && frame.type !== "message" ? this.waiting.get(frame.ref) : undefined;
    if (pending) {
      this.waiting.delete(frame.ref);
      clearTimeout(pending.timer);
      if (frame.type === "error") pending.reject(frame);
      else pending.resolve(frame);
      return;
    }
    if (this.hooks.onFrame) this.hooks.onFrame(frame);
  }
}

/** Endpoints: data attributes or query parameters, defaulting to this page's own origin. */
export function endpoints(params = new URLSearchParams(location.search)) {
  const ws = params.get("ws") || `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
  const api = (params.get("api") || `${location.origin}/api`).replace(/\/$/, "");
  return { ws, api };
}

/** A JSON REST call; rejects with the {code, message} body on an error status. */
export async function api(base, path, { method = "GET", body, token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) throw { status: response.status, ...payload };
  return payload;
}
