// Main-thread client of the triage worker. One engine per page load: it survives Material's
// instant navigation (module state), so returning to the wizard does not reload Pyodide.
const DEFAULT_TIMEOUT_MS = 45000;
let shared = null;

class Engine {
  constructor(config) {
    this.state = "loading";
    this.stage = "runtime";
    this.listeners = new Set();
    this.pending = new Map();
    this.nextId = 1;
    const abs = (path) => new URL(path, config.baseUrl).href;
    this.ready = new Promise((resolve, reject) => {
      const timeoutMs = Number(config.timeoutMs) || DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => fail(new Error(`движок не загрузился за ${Math.round(timeoutMs / 1000)} с`)), timeoutMs);
      const fail = (error) => {
        clearTimeout(timer);
        if (this.state === "error") return;
        this.state = "error";
        this.error = error;
        this.emit();
        reject(error);
      };
      const init = {
        type: "init",
        runtime: abs(config.runtime),
        wheel: abs(config.wheel),
        data: abs(config.data),
        stdlib: config.stdlib ? abs(config.stdlib) : undefined,
        bytecodeWheel: config.bytecodeWheel ? abs(config.bytecodeWheel) : undefined,
        snapshot: config.snapshot ? abs(config.snapshot) : undefined,
      };
      // The bytecode files and the snapshot only make start-up faster: if a worker fails with them,
      // a fresh worker starts the plain way (a new realm: nothing of the failed attempt lingers).
      const start = (message) => {
        const optimised = Boolean(message.stdlib || message.bytecodeWheel || message.snapshot);
        const failOrFallBack = (error) => {
          if (this.state !== "loading") return;
          if (optimised) {
            worker.terminate();
            start({ ...message, stdlib: undefined, bytecodeWheel: undefined, snapshot: undefined });
          } else {
            fail(error);
          }
        };
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
          const msg = event.data || {};
          if (msg.type === "progress") {
            this.stage = msg.stage;
            this.emit();
          } else if (msg.type === "ready") {
            clearTimeout(timer);
            this.state = "ready";
            this.version = msg.version;
            this.mode = msg.mode; // "snapshot" | "bytecode" | "plain"
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
        worker.postMessage(message);
      };
      start(init);
    });
    this.ready.catch(() => {});
  }

  emit() {
    for (const listener of this.listeners) listener(this);
  }

  subscribe(listener) {
    this.listeners.add(listener);
    listener(this);
    return () => this.listeners.delete(listener);
  }

  // Give up on this engine (e.g. a call never answered): stop the worker and answer pending calls
  // with an error. The next getEngine() starts a fresh one.
  dispose(error = new Error("движок остановлен")) {
    if (this.worker) this.worker.terminate();
    const message = String((error && error.message) || error);
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
    if (this.state === "ready" && !this.warmed) {
      this.warmed = true;
      this.worker.postMessage({ type: "prefetch" });
    }
  }

  // request = {op: "triage" | "suggest" | "topics", provider, text, answers, details, topic}
  async call(request) {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.worker.postMessage({ type: "call", id, request });
    });
  }
}

// config = {baseUrl, runtime, wheel, data, stdlib?, bytecodeWheel?, snapshot?, timeoutMs?}; paths relative to baseUrl.
export function getEngine(config) {
  if (!shared || shared.state === "error") shared = new Engine(config);
  return shared;
}
