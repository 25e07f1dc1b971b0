// Noticing a gap in one chat's `seq` and filling it: the patron's window and each chat in the
// monitor keep one SeqGaps each.
//
// A chat's messages are numbered 1, 2, 3… with no gaps, but a page can see one: the service
// handles frames concurrently, so two messages can be posted out of order (the missing one is
// just late), and API Gateway's posts are best-effort (the missing one never comes). A patron
// also never gets librarian notes, so their window skips those seqs for good. So a gap is given
// a moment to close by itself; if it does not, `history {after_seq: <highest held in order>}`
// brings what is missing, and every seq up to the reply's `session.last_seq` still missing
// after it is one this page is not shown: the gap is settled there and never asked about again.

const GRACE_MS = 1500; // how long a late message may take before it is asked for

export class SeqGaps {
  /**
   * @param {(afterSeq: number) => Promise<object>} fetch  asks for the messages after `afterSeq`
   *   and adds them (each one through `arrived`); resolves with the `history` reply
   */
  constructor(fetch, { graceMs = GRACE_MS } = {}) {
    this.fetch = fetch;
    this.graceMs = graceMs;
    this.inOrder = null; // every seq up to this is held or settled; null until a transcript says
    this.ahead = new Set(); // seqs held beyond inOrder (a gap lies below the lowest of them)
    this.timer = null;
    this.fetching = false; // one history request per gap at a time
    this.generation = 0; // a reply asked for before a reset settles nothing
  }

  /** A message with this seq is held now (live, or from any reply). */
  arrived(seq) {
    if (typeof seq !== "number" || (this.inOrder !== null && seq <= this.inOrder)) return;
    this.ahead.add(seq);
    this._advance();
    this._watch();
  }

  /** Everything up to `seq` is held or not for this page (a transcript or history reply's
   * `session.last_seq`): no gap below it is worth asking about. */
  settle(seq) {
    if (typeof seq !== "number") return;
    this.inOrder = Math.max(this.inOrder ?? 0, seq);
    for (const held of this.ahead) if (held <= this.inOrder) this.ahead.delete(held);
    this._advance();
    this._watch();
  }

  /** Start again (a resume is about to bring the whole chat, or the chat is gone): nothing is
   * known until `settle`; a request still in flight is forgotten. */
  reset(seq = null) {
    this.stop();
    this.generation += 1;
    this.inOrder = null;
    this.ahead.clear();
    this.fetching = false;
    if (seq !== null) this.settle(seq);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  get hasGap() {
    return this.inOrder !== null && this.ahead.size > 0;
  }

  _advance() {
    if (this.inOrder === null) return;
    while (this.ahead.delete(this.inOrder + 1)) this.inOrder += 1;
  }

  _watch() {
    if (!this.hasGap || this.timer || this.fetching) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this._fill();
    }, this.graceMs);
  }

  async _fill() {
    if (!this.hasGap || this.fetching) return; // it closed by itself meanwhile
    const generation = this.generation;
    this.fetching = true;
    let reply = null;
    try {
      reply = await this.fetch(this.inOrder);
    } catch (error) {
      // Offline or refused: the next message, or the next resume, looks again (never a loop).
      console.warn("refdesk: filling a gap in the transcript failed", error);
    }
    if (generation !== this.generation) return;
    this.fetching = false;
    if (reply) this.settle(reply.session?.last_seq);
  }
}
