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
      try {
        this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
      } catch (error) {
        fail(error);
        return;
      }
      this.worker.onerror = (event) => fail(new Error(event.message || "ошибка загрузки движка"));
      this.worker.onmessage = (event) => {
        const message = event.data || {};
        if (message.type === "progress") {
          this.stage = message.stage;
          this.emit();
        } else if (message.type === "ready") {
          clearTimeout(timer);
          this.state = "ready";
          this.version = message.version;
          this.emit();
          resolve(this);
        } else if (message.type === "error") {
          fail(new Error(message.message));
        } else if (message.type === "result") {
          const entry = this.pending.get(message.id);
          if (entry) {
            this.pending.delete(message.id);
            entry.resolve(message.response);
          }
        }
      };
      this.worker.postMessage({
        type: "init",
        runtime: abs(config.runtime),
        wheel: abs(config.wheel),
        data: abs(config.data),
        stdlib: config.stdlib ? abs(config.stdlib) : undefined,
        bytecodeWheel: config.bytecodeWheel ? abs(config.bytecodeWheel) : undefined,
      });
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

// config = {baseUrl, runtime, wheel, data, stdlib?, bytecodeWheel?, timeoutMs?}; paths relative to baseUrl.
export function getEngine(config) {
  if (!shared || shared.state === "error") shared = new Engine(config);
  return shared;
}
