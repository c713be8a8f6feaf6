// Triage engine worker (module worker): runs the very same triage/ package as CPython, in Pyodide.
// Protocol: protocol.js (in: init, prefetch, call; out: progress, ready, error, result).

/** @typedef {import("./protocol.js").InitMessage} InitMessage */
/** @typedef {import("./protocol.js").CallMessage} CallMessage */
/** @typedef {import("./protocol.js").ToWorker} ToWorker */
/** @typedef {import("./protocol.js").FromWorker} FromWorker */
/** @typedef {import("./protocol.js").StartMode} StartMode */

/**
 * What the worker uses of triage/api.py (a Pyodide proxy of the module).
 * @typedef {object} TriageApi
 * @property {(compiledJson: string) => string} register_policy
 * @property {(requestJson: string) => string} handle
 */

/**
 * What the worker uses of a started Pyodide.
 * @typedef {object} Pyodide
 * @property {string} version
 * @property {(name: string) => any} pyimport
 * @property {(buffer: ArrayBuffer, format: string, options: {extractDir: string}) => void} unpackArchive
 */

/** @type {TriageApi | null} */
let api = null;
/** @type {InitMessage | null} */
let config = null;
/** @type {Map<string, Promise<string>>} provider id -> policy JSON fetched and registered */
const loaded = new Map();

/** @param {FromWorker} message */
function post(message) {
  self.postMessage(message);
}

/** @param {unknown} error */
function messageOf(error) {
  return String((error instanceof Error && error.message) || error);
}

/**
 * @param {string} url
 */
async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/**
 * @param {string} url
 */
async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

// The snapshot file leaves out the memory image's zero pages (sitebuild/browser_assets/sparse.py):
// the HTTP cache then decodes ~12 MB instead of ~31 MB on a repeat visit. A fresh buffer is zeros.
const SPARSE_MAGIC = "PYSPARS1";

/**
 * @param {ArrayBuffer} buffer
 * @returns {Uint8Array}
 */
function inflateSnapshot(buffer) {
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(...bytes.subarray(0, SPARSE_MAGIC.length));
  if (magic !== SPARSE_MAGIC) throw new Error("snapshot: unknown format");
  const view = new DataView(buffer);
  let offset = SPARSE_MAGIC.length;
  const total = view.getUint32(offset, true);
  const page = view.getUint32(offset + 4, true);
  const count = view.getUint32(offset + 8, true);
  offset += 12;
  const image = new Uint8Array(total);
  let data = offset + 4 * count;
  for (let k = 0; k < count; k++) {
    const start = view.getUint32(offset + 4 * k, true) * page;
    const size = Math.min(page, total - start);
    image.set(bytes.subarray(data, data + size), start);
    data += size;
  }
  return image;
}

// loadPyodide() never settles when one of its files cannot be fetched (it only logs a warning, or
// the failure surfaces as an unhandled rejection), so the worker watches those fetches itself and
// reports a failure at once (the page then retries the plain way in a fresh worker, or gives up).
/** @type {((error: Error) => void) | null} */
let failAttempt = null;

/** @param {string} message */
function attemptFailed(message) {
  if (api) return;
  if (failAttempt) failAttempt(new Error(message));
  else post({ type: "error", message });
}

/** @param {(string | undefined)[]} prefixes */
function watchRuntimeFetches(prefixes) {
  const realFetch = self.fetch.bind(self);
  self.fetch = (input, requestInit) => {
    const promise = realFetch(input, requestInit);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input && input.url;
    if (!api && typeof url === "string" && prefixes.some((prefix) => prefix && url.startsWith(prefix))) {
      promise.then((response) => {
        if (!response.ok) attemptFailed(`${url}: HTTP ${response.status}`);
      }, (error) => attemptFailed(`${url}: ${messageOf(error)}`));
    }
    return promise;
  };
}

self.addEventListener("unhandledrejection", (event) => {
  const reason = event.reason;
  attemptFailed(reason ? messageOf(reason) : "ошибка загрузки движка");
});

// One start attempt. mode: "plain" (npm stdlib + source wheel), "bytecode" (bytecode stdlib and
// wheel), "snapshot" (bytecode + memory snapshot, only if the snapshot is in the HTTP cache).
/**
 * @param {InitMessage} message
 * @param {StartMode} mode
 * @returns {Promise<Pyodide | null>}
 */
async function boot(message, mode) {
  /** @type {Promise<never>} */
  const failure = new Promise((_, reject) => { failAttempt = reject; });
  failure.catch(() => {});
  try {
    /** @type {Record<string, unknown>} */
    const options = { indexURL: message.runtime, stdout: () => {}, stderr: () => {} };
    if (mode === "snapshot") {
      let cached;
      try {
        cached = await fetch(/** @type {string} */ (message.snapshot), { cache: "only-if-cached", mode: "same-origin" });
      } catch {
        return null; // not in the cache: a first visit never downloads the snapshot to start
      }
      if (!cached.ok) return null;
      options._loadSnapshot = cached.arrayBuffer().then(inflateSnapshot);
    }
    if (mode !== "plain") options.stdLibURL = message.stdlib; // fetched by Pyodide beside the wasm
    const wheel = fetchBytes(/** @type {string} */ (mode === "plain" ? message.wheel : message.bytecodeWheel));
    wheel.catch(() => {});
    const { loadPyodide } = await Promise.race([import(message.runtime + "pyodide.mjs"), failure]);
    /** @type {Pyodide} */
    const pyodide = await Promise.race([loadPyodide(options), failure]);
    post({ type: "progress", stage: "engine" });
    // From a snapshot the engine is in memory already; its files serve anything imported later.
    const sitePackages = pyodide.pyimport("site").getsitepackages().toJs()[0];
    pyodide.unpackArchive(await Promise.race([wheel, failure]), "wheel", { extractDir: sitePackages });
    api = pyodide.pyimport("triage.api");
    return pyodide;
  } finally {
    failAttempt = null;
  }
}

let prefetched = false;
function prefetchSnapshot() {
  if (prefetched || !config || !config.snapshot || !config.stdlib || !config.bytecodeWheel) return;
  prefetched = true;
  fetch(config.snapshot).then((r) => r.arrayBuffer()).catch(() => { prefetched = false; });
}

/** @param {InitMessage} message */
async function init(message) {
  config = message;
  watchRuntimeFetches([message.runtime, message.stdlib]);
  post({ type: "progress", stage: "runtime" });
  const bytecode = Boolean(message.stdlib && message.bytecodeWheel);
  let pyodide = null;
  /** @type {StartMode} */
  let mode = bytecode ? "bytecode" : "plain";
  if (bytecode && message.snapshot) {
    pyodide = await boot(message, "snapshot"); // null when the snapshot is not in the HTTP cache
    if (pyodide) {
      prefetched = true;
      mode = "snapshot";
    }
  }
  if (!pyodide) pyodide = await boot(message, mode);
  if (!pyodide) throw new Error("движок не запустился");
  post({ type: "ready", version: pyodide.version, mode });
}

/**
 * Fetch and register a provider's compiled policy once.
 * @param {string} id
 */
function ensureProvider(id) {
  if (!config || !api || typeof id !== "string" || !/^[a-z][a-z0-9_]*$/.test(id)) {
    return Promise.reject(new Error("unknown provider"));
  }
  const engine = api;
  let promise = loaded.get(id);
  if (!promise) {
    promise = fetchText(`${config.data}${id}.json`).then((text) => engine.register_policy(text));
    promise.catch(() => loaded.delete(id));
    loaded.set(id, promise);
  }
  return promise;
}

/** @param {CallMessage} message */
async function call(message) {
  try {
    await ensureProvider(message.request.provider);
    const response = JSON.parse(/** @type {TriageApi} */ (api).handle(JSON.stringify(message.request)));
    post({ type: "result", id: message.id, response });
  } catch (error) {
    post({ type: "result", id: message.id, response: { ok: false, error: messageOf(error) } });
  }
}

self.onmessage = (event) => {
  /** @type {ToWorker} */
  const message = event.data || {};
  if (message.type === "init") {
    init(message).catch((error) => post({ type: "error", message: messageOf(error) }));
  } else if (message.type === "prefetch") {
    prefetchSnapshot();
  } else if (message.type === "call") {
    call(message);
  }
};
