// Main-thread client of the triage worker. One engine per page load: it survives Material's
// instant navigation (module state), so returning to the wizard does not reload Pyodide.
// Messages to and from the worker: protocol.js.

/** @typedef {import("./protocol.js").EngineConfig} EngineConfig */
/** @typedef {import("./protocol.js").EngineRequest} EngineRequest */
/** @typedef {import("./protocol.js").EngineResponse} EngineResponse */
/** @typedef {import("./protocol.js").InitMessage} InitMessage */
/** @typedef {import("./protocol.js").ToWorker} ToWorker */
/** @typedef {import("./protocol.js").FromWorker} FromWorker */

const DEFAULT_TIMEOUT_MS = 45000;
/** @type {Engine | null} */
let shared = null;

/**
 * @param {Worker} worker
 * @param {ToWorker} message
 */
function send(worker, message) {
  worker.postMessage(message);
}

export class Engine {
  /** @param {EngineConfig} config */
  constructor(config) {
    /** @type {"loading" | "ready" | "error"} */
    this.state = "loading";
    /** @type {import("./protocol.js").Stage | "ready"} */
    this.stage = "runtime";
    /** @type {Set<(engine: Engine) => void>} */
    this.listeners = new Set();
    /** @type {Map<number, {resolve: (response: EngineResponse) => void}>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {unknown} */
    this.error = null;
    /** @type {string | undefined} Pyodide's version */
    this.version = undefined;
    /** @type {import("./protocol.js").StartMode | undefined} */
    this.mode = undefined;
    this.warmed = false;
    /** @param {string} path */
    const abs = (path) => new URL(path, config.baseUrl).href;
    /** @type {Promise<Engine>} */
    this.ready = new Promise((resolve, reject) => {
      const timeoutMs = Number(config.timeoutMs) || DEFAULT_TIMEOUT_MS;
      /** @param {unknown} error */
      const fail = (error) => {
        clearTimeout(timer);
        if (this.state === "error") return;
        this.state = "error";
        this.error = error;
        this.emit();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`движок не загрузился за ${Math.round(timeoutMs / 1000)} с`)), timeoutMs);
      /** @type {InitMessage} */
      const init = {
        type: "init",
        runtime: abs(config.runtime),
        wheel: abs(config.wheel),
        data: abs(config.data),
        stdlib: config.stdlib ? abs(config.stdlib) : undefined,
        bytecodeWheel: config.bytecodeWheel ? abs(config.bytecodeWheel) : undefined,
        snapshot: config.snapshot ? abs(config.snapshot) : undefined,
        provider: config.provider,
      };
      // The bytecode files and the snapshot only make start-up faster: if a worker fails with them,
      // a fresh worker starts the plain way (a new realm: nothing of the failed attempt lingers).
      /** @param {InitMessage} message */
      const start = (message) => {
        const optimised = Boolean(message.stdlib || message.bytecodeWheel || message.snapshot);
        /** @param {Error} error */
        const failOrFallBack = (error) => {
          if (this.state !== "loading") return;
          if (optimised) {
            worker.terminate();
            start({ ...message, stdlib: undefined, bytecodeWheel: undefined, snapshot: undefined });
          } else {
            fail(error);
          }
        };
        /** @type {Worker} */
        let worker;
        try {
          worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
        } catch (error) {
          fail(error);
          return;
        }
        this.worker = worker;
        worker.onerror = (event) => failOrFallBack(new Error(event.message || "ошибка загрузки движка"));
        worker.onmessage = (event) => {
          if (this.worker !== worker) return; // a replaced worker
          /** @type {FromWorker} */
          const msg = event.data || {};
          if (msg.type === "progress") {
            this.stage = msg.stage;
            this.emit();
          } else if (msg.type === "ready") {
            clearTimeout(timer);
            this.state = "ready";
            this.version = msg.version;
            this.mode = msg.mode;
            this.emit();
            resolve(this);
          } else if (msg.type === "error") {
            failOrFallBack(new Error(msg.message));
          } else if (msg.type === "result") {
            const entry = this.pending.get(msg.id);
            if (entry) {
              this.pending.delete(msg.id);
              entry.resolve(msg.response);
            }
          }
        };
        send(worker, message);
      };
      start(init);
    });
    this.ready.catch(() => {});
  }

  emit() {
    for (const listener of this.listeners) listener(this);
  }

  /**
   * Call listener now and on every change of state or stage; returns the unsubscribe function.
   * @param {(engine: Engine) => void} listener
   */
  subscribe(listener) {
    this.listeners.add(listener);
    listener(this);
    return () => this.listeners.delete(listener);
  }

  /**
   * Give up on this engine (e.g. a call never answered): stop the worker and answer pending calls
   * with an error. The next getEngine() starts a fresh one.
   * @param {unknown} [error]
   */
  dispose(error = new Error("движок остановлен")) {
    if (this.worker) this.worker.terminate();
    const message = String((error instanceof Error && error.message) || error);
    for (const entry of this.pending.values()) entry.resolve({ ok: false, error: message });
    this.pending.clear();
    if (this.state !== "error") {
      this.state = "error";
      this.error = error;
      this.emit();
    }
  }

  // Ask the worker to put the start-up snapshot into the HTTP cache, so the next visit starts
  // faster. Called once the customer is using the wizard, never during the first load.
  warmCache() {
    if (this.state === "ready" && !this.warmed && this.worker) {
      this.warmed = true;
      send(this.worker, { type: "prefetch" });
    }
  }

  /**
   * One engine call; resolves with the worker's answer (an engine error is {ok: false}).
   * @param {EngineRequest} request
   * @returns {Promise<EngineResponse>}
   */
  async call(request) {
    await this.ready;
    const worker = /** @type {Worker} */ (this.worker);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      send(worker, { type: "call", id, request });
    });
  }
}

/**
 * The page's engine: the running one, or a new one if none runs or the last one failed.
 * @param {EngineConfig} config  paths relative to config.baseUrl
 */
export function getEngine(config) {
  if (!shared || shared.state === "error") shared = new Engine(config);
  return shared;
}
