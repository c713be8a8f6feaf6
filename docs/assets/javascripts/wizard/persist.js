// What sessionStorage keeps: the state with every secret masked, exactly as the draft shows it.
// Only the engine knows what a secret is (triage/secrets.py), and every triage answer echoes its
// input masked (result.input); the state is stored once such an echo matches what is on screen.
// Until then storage keeps the last masked copy (a reload may show slightly older text, never a
// password); a background call asks the engine for the echo when no step does.
import { same } from "./dom.js";
import { clearStored, engineRequest, isBlank, saveState } from "./state.js";

/** @typedef {import("./state.js").State} State */
/** @typedef {import("./protocol.js").EngineRequest} EngineRequest */
/** @typedef {import("./protocol.js").MaskedInput} MaskedInput */

const MASK_DELAY_MS = 300;
const IDLE_TIMEOUT_MS = 300; // a keystroke's copy is stored when the page is idle, at the latest after this

/**
 * fn once the page is idle (requestIdleCallback where there is one); returns its cancel function.
 * @param {() => void} fn
 */
function whenIdle(fn) {
  if (typeof requestIdleCallback === "function") {
    const id = requestIdleCallback(fn, { timeout: IDLE_TIMEOUT_MS });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 50);
  return () => clearTimeout(id);
}

export class Persister {
  /** @param {import("./ui.js").Wizard} w */
  constructor(w) {
    this.w = w;
    /** @type {{text: string, details: Record<string, string>, input: MaskedInput} | null} */
    this.echo = null;
    this.timer = 0;
    this.waiting = false; // a masked copy is owed once the engine is ready
    /** @type {(() => void) | null} cancels the idle-time save that saveSoon() arranged */
    this.idle = null;
    // Whatever a keystroke left for idle time is stored before the page goes away or into the background.
    w.on(window, "pagehide", () => this.flush());
    w.on(document, "visibilitychange", () => {
      if (document.visibilityState === "hidden") this.flush();
    });
  }

  /**
   * A keystroke: store the state when the page is idle, not in the keystroke's own task (the draft comes
   * first); pagehide, a hidden tab, leaving the page (destroy) and any save() store it at once.
   */
  saveSoon() {
    if (!this.idle) {
      this.idle = whenIdle(() => {
        this.idle = null;
        this.save(); // never after destroy(): it stores what is pending and cancels this
      });
    }
  }

  /** Store now what saveSoon() left for later, if anything. */
  flush() {
    if (this.idle) this.save();
  }

  /** The wizard leaves the page: store what is pending (save() cancels the idle-time save). */
  destroy() {
    this.flush();
  }

  cancelIdle() {
    if (this.idle) this.idle();
    this.idle = null;
  }

  /**
   * The state with its text and fields as the engine masked them, or null if no echo matches it.
   * @param {State} state
   * @returns {State | null}
   */
  masked(state) {
    const request = engineRequest(state);
    const echo = this.echo;
    if (!request.text.trim() && !Object.keys(request.details).length) return state; // nothing typed
    if (!echo || echo.text !== request.text || !same(echo.details, request.details)) return null;
    /** @type {Record<string, string>} */
    const details = {};
    for (const [key, value] of Object.entries(state.details)) {
      details[key] = key in request.details ? echo.input.details[key] ?? "" : value;
    }
    return { ...state, text: echo.input.text, details };
  }

  /** Store the current state (masked), or arrange for it to be stored once it can be masked. */
  save() {
    const w = this.w;
    const state = w.state;
    this.cancelIdle();
    if (isBlank(state)) {
      w.cancel(this.timer);
      this.waiting = false;
      clearStored(); // nothing entered yet (or everything cleared): nothing is stored
      return;
    }
    const masked = this.masked(state);
    if (masked) {
      w.cancel(this.timer);
      this.waiting = false;
      saveState(masked);
    } else {
      this.waiting = true;
      w.cancel(this.timer);
      this.timer = w.later(() => this.askEngine(), MASK_DELAY_MS);
    }
  }

  /**
   * A triage answer arrived for `request`: remember its masked echo, and store the state if it
   * still matches.
   * @param {EngineRequest} request
   * @param {MaskedInput | undefined} input
   */
  learn(request, input) {
    if (!input || typeof input.text !== "string") return;
    this.echo = { text: request.text, details: request.details, input };
    if (this.waiting) this.saveSoon();
  }

  /** The engine is ready (again): store what is owed. */
  engineReady() {
    if (this.waiting) this.askEngine();
  }

  async askEngine() {
    const w = this.w;
    if (!w.ready || !this.waiting || w.destroyed) return; // engineReady() comes back here
    if (this.masked(w.state)) {
      this.save();
      return;
    }
    const request = engineRequest(w.state);
    try {
      const response = await w.client.call(request);
      if (response.ok) this.learn(request, /** @type {{input?: MaskedInput}} */ (response.result).input);
    } catch {
      // the engine failed: nothing is stored until it works again
    }
  }
}
