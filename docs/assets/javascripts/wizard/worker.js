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

/**
 * A named point of the start-up on the worker's timeline (DevTools' Performance panel and
 * bench/trace_start.py read these; a performance mark costs microseconds).
 * @param {string} name
 */
function mark(name) {
  performance.mark(`triage:${name}`);
}

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

// What loadPyodide() would fetch only once pyodide.mjs has arrived and run, and compile only once
// pyodide.asm.mjs has too, starts at once and side by side (early()): the runtime's two modules,
// the wasm, compiled while it streams (on a repeat visit V8 takes the compiled code from its cache
// beside the snapshot read, not after it), the stdlib and the lock file. loadPyodide() then finds
// them: import() shares a module by URL, its fetch() of a file is answered with the response under
// way (handOff), and its instantiateStreaming() of the wasm instantiates the module compiled here.
/** @type {Map<string, Promise<Response>>} */
const handOff = new Map();
/** @type {{url: string, placeholder: Response, module: Promise<WebAssembly.Module>} | null} */
let wasm = null;

/**
 * @param {InitMessage} message
 * @param {boolean} bytecode  the bytecode stdlib will be used
 */
function early(message, bytecode) {
  const files = [message.runtime + "pyodide-lock.json"];
  if (bytecode && message.stdlib) files.push(message.stdlib);
  for (const url of files) {
    const response = url === message.stdlib ? storedOrFetched(url) : fetch(url);
    response.catch(() => {}); // reported by watchRuntimeFetches
    handOff.set(url, response);
  }
  const url = message.runtime + "pyodide.asm.wasm";
  // Always through the HTTP cache: only there does V8 keep the compiled code for the next visit
  // (from Cache Storage every function is compiled again, lazily, as the interpreter first runs it).
  const module = WebAssembly.compileStreaming(fetch(url));
  module.catch(() => {}); // instantiateStreaming() below compiles from the bytes then
  const placeholder = new Response(null, { headers: { "Content-Type": "application/wasm" } });
  handOff.set(url, Promise.resolve(placeholder));
  wasm = { url, placeholder, module };
  for (const name of ["pyodide.mjs", "pyodide.asm.mjs"]) import(message.runtime + name).catch(() => {});
}

// Pyodide instantiates its wasm with WebAssembly.instantiateStreaming(fetch(url), imports): the
// placeholder response stands for the module compiled by early(); anything else passes through.
const realInstantiateStreaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
/**
 * @param {Response | PromiseLike<Response>} source
 * @param {WebAssembly.Imports} [imports]
 * @returns {Promise<WebAssembly.WebAssemblyInstantiatedSource>}
 */
async function instantiateStreaming(source, imports) {
  const response = await source;
  const compiled = wasm;
  if (!compiled || response !== compiled.placeholder) return realInstantiateStreaming(response, imports);
  wasm = null;
  let module;
  try {
    module = await compiled.module;
  } catch {
    // e.g. a server that does not send application/wasm: compile from the bytes instead
    const bytes = await (await fetch(compiled.url, { cache: "force-cache" })).arrayBuffer();
    return WebAssembly.instantiate(bytes, imports);
  }
  return { module, instance: await WebAssembly.instantiate(module, imports) };
}
Object.assign(WebAssembly, { instantiateStreaming });

/** @param {(string | undefined)[]} prefixes */
function watchRuntimeFetches(prefixes) {
  const realFetch = self.fetch.bind(self);
  self.fetch = (input, requestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input && input.url;
    // Pyodide fetches its files with no options or with {} (no integrity given).
    const plain = !requestInit || Object.keys(requestInit).length === 0;
    const started = typeof url === "string" && plain ? handOff.get(url) : undefined;
    if (started) {
      handOff.delete(url);
      return started;
    }
    const promise = realFetch(input, requestInit);
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
      // Not stored: a first visit never downloads the snapshot to start.
      const cached = await storedSnapshot(/** @type {string} */ (message.snapshot));
      if (!cached) return null;
      mark("snapshot-response");
      options._loadSnapshot = cached.arrayBuffer().then((buffer) => {
        mark("snapshot-read");
        const image = inflateSnapshot(buffer);
        mark("snapshot-inflated");
        return image;
      });
    }
    if (mode !== "plain") options.stdLibURL = message.stdlib; // fetched by Pyodide beside the wasm
    const wheel = fetchBytes(/** @type {string} */ (mode === "plain" ? message.wheel : message.bytecodeWheel));
    wheel.catch(() => {});
    const { loadPyodide } = await Promise.race([import(message.runtime + "pyodide.mjs"), failure]);
    mark("runtime-imported");
    /** @type {Pyodide} */
    const pyodide = await Promise.race([loadPyodide(options), failure]);
    mark("runtime-started");
    post({ type: "progress", stage: "engine" });
    // From a snapshot the engine is in memory already; its files serve anything imported later.
    const sitePackages = pyodide.pyimport("site").getsitepackages().toJs()[0];
    const wheelBytes = await Promise.race([wheel, failure]);
    mark("wheel-fetched");
    pyodide.unpackArchive(wheelBytes, "wheel", { extractDir: sitePackages });
    mark("wheel-unpacked");
    api = pyodide.pyimport("triage.api");
    mark("engine-imported");
    return pyodide;
  } finally {
    failAttempt = null;
  }
}

// For the next visit the worker keeps the snapshot and the bytecode stdlib in Cache Storage, as
// fetched and decoded: reading them back is a copy, where the HTTP cache, which keeps the
// brotli-compressed responses, decodes them again on every visit (15 MB; the snapshot read was the
// largest part of a repeat visit's start-up, see bench/trace_start.py). Not the wasm: V8 keeps its
// compiled code only beside the HTTP cache. Without Cache Storage (a page served over plain HTTP)
// the HTTP cache serves them all.
const STORE = "triage-engine";
/** The files are stored (or being stored) for the next visit, by this worker. */
let prefetched = false;

/**
 * A file an earlier visit stored, else undefined.
 * @param {string} url
 * @returns {Promise<Response | undefined>}
 */
async function stored(url) {
  if (!self.caches) return undefined;
  try {
    return await (await caches.open(STORE)).match(url);
  } catch {
    return undefined; // Cache Storage refused (e.g. no quota): the network and HTTP cache serve it
  }
}

/**
 * The file from the store, or fetched (the HTTP cache or the network).
 * @param {string} url
 * @returns {Promise<Response>}
 */
async function storedOrFetched(url) {
  return (await stored(url)) || fetch(url);
}

/**
 * The snapshot if an earlier visit stored it, else null (never a download).
 * @param {string} url
 * @returns {Promise<Response | null>}
 */
async function storedSnapshot(url) {
  const hit = await stored(url);
  if (hit) return hit;
  try {
    const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
    return response.ok ? response : null;
  } catch {
    return null;
  }
}

/**
 * Store the files for the next visit (those not stored yet) and drop an older engine's.
 * @param {string[]} urls
 */
async function store(urls) {
  if (!self.caches) {
    await (await fetch(urls[0])).arrayBuffer(); // the snapshot: into the HTTP cache
    return;
  }
  const cache = await caches.open(STORE);
  for (const url of urls) {
    if (await cache.match(url)) continue;
    const response = await fetch(url); // the wasm and the stdlib come from the HTTP cache
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const type = response.headers.get("Content-Type") || "application/octet-stream";
    await cache.put(url, new Response(await response.arrayBuffer(), { headers: { "Content-Type": type } }));
  }
  for (const request of await cache.keys()) {
    if (!urls.includes(request.url)) await cache.delete(request);
  }
}

function prefetchSnapshot() {
  if (prefetched || !config || !config.snapshot || !config.stdlib || !config.bytecodeWheel) return;
  prefetched = true;
  store([config.snapshot, config.stdlib]).catch(() => { prefetched = false; });
}

/** @param {InitMessage} message */
async function init(message) {
  mark("init");
  config = message;
  watchRuntimeFetches([message.runtime, message.stdlib]);
  post({ type: "progress", stage: "runtime" });
  const bytecode = Boolean(message.stdlib && message.bytecodeWheel);
  early(message, bytecode);
  if (message.provider) prefetchPolicy(message.provider);
  let pyodide = null;
  /** @type {StartMode} */
  let mode = bytecode ? "bytecode" : "plain";
  if (bytecode && message.snapshot) {
    pyodide = await boot(message, "snapshot"); // null when the snapshot is not in the HTTP cache
    if (pyodide) {
      mode = "snapshot";
      // Without Cache Storage the snapshot just came from the HTTP cache: storing it again would re-read it all.
      if (!self.caches) prefetched = true;
    }
  }
  if (!pyodide) pyodide = await boot(message, mode);
  if (!pyodide) throw new Error("движок не запустился");
  post({ type: "ready", version: pyodide.version, mode });
}

/** @type {Map<string, Promise<string>>} provider id -> its policy's JSON, fetched during start-up */
const policies = new Map();

/**
 * A deep link names the provider: its policy arrives while the runtime starts, not after.
 * @param {string} id
 */
function prefetchPolicy(id) {
  if (!config || !/^[a-z][a-z0-9_]*$/.test(id)) return;
  const text = fetchText(`${config.data}${id}.json`);
  text.catch(() => {}); // fetched again when the wizard asks (ensureProvider)
  policies.set(id, text);
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
    const url = `${config.data}${id}.json`;
    const fetched = policies.get(id);
    policies.delete(id);
    promise = (fetched ? fetched.catch(() => fetchText(url)) : fetchText(url)).then((text) => {
      mark(`policy-fetched:${id}`);
      const registered = engine.register_policy(text);
      mark(`policy-registered:${id}`);
      return registered;
    });
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
    if (message.id === 1) mark("first-call");
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
