// The wizard's link to the shared engine (engine.js): connects, and bounds every call in time.
import { getEngine } from "./engine.js";

/** @typedef {import("./protocol.js").EngineRequest} EngineRequest */
/** @typedef {import("./protocol.js").EngineResponse} EngineResponse */
/** @typedef {import("./engine.js").Engine} Engine */

const CALL_TIMEOUT_MS = 20000;

class TimeoutError extends Error {}

export class EngineClient {
  /**
   * @param {import("./protocol.js").EngineConfig} config  paths relative to baseUrl
   */
  constructor(config) {
    this.config = config;
    /** @type {Engine | null} */
    this.engine = null;
    /** @type {(() => void) | null} */
    this.unsubscribe = null;
  }

  /**
   * Connect to the shared engine (a new one if the last one failed); listener gets every change.
   * @param {(engine: Engine) => void} listener
   */
  connect(listener) {
    this.disconnect();
    this.engine = getEngine(this.config);
    this.unsubscribe = this.engine.subscribe(listener);
  }

  disconnect() {
    if (this.unsubscribe) this.unsubscribe();
    this.unsubscribe = null;
  }

  /**
   * One call; an engine that does not answer in time is given up (the next connect starts afresh).
   * Rejects when the engine failed or timed out.
   * @param {EngineRequest} request
   * @returns {Promise<EngineResponse>}
   */
  async call(request) {
    const engine = /** @type {Engine} */ (this.engine);
    await engine.ready;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    /** @type {Promise<never>} */
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError("мастер не ответил вовремя")), CALL_TIMEOUT_MS);
    });
    try {
      return await Promise.race([engine.call(request), timeout]);
    } catch (error) {
      if (error instanceof TimeoutError) engine.dispose(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ask the engine to cache its start-up snapshot (a faster start on the next visit). */
  warmCache() {
    if (this.engine) this.engine.warmCache();
  }
}
