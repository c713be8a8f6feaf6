// Triage engine worker (module worker): runs the very same triage/ package as CPython, in Pyodide.
// Protocol (postMessage):
//   in  {type: "init", runtime, wheel, data, stdlib?, bytecodeWheel?, snapshot?}
//                                                  absolute URLs (runtime and data end with "/"); stdlib and
//                                                  bytecodeWheel: the stdlib subset and the engine as Pyodide
//                                                  bytecode (build.py); if either fails, the plain ones are used.
//                                                  snapshot: a memory snapshot made with them, used only when
//                                                  it is already in the HTTP cache (a repeat visit)
//   in  {type: "prefetch"}                         put the snapshot into the HTTP cache for the next visit
//   out {type: "progress", stage}                  "runtime" | "engine" | "ready"
//   out {type: "ready", version} | {type: "error", message}
//   in  {type: "call", id, request}                request = {op, provider, text, answers, details, topic}
//   out {type: "result", id, response}             response = {ok, result} | {ok: false, error}
let api = null;
let config = null;
const loaded = new Map(); // provider id -> Promise (policy JSON fetched and registered)

function post(message) {
  self.postMessage(message);
}

async function fetchOk(url, as) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return as === "text" ? response.text() : response.arrayBuffer();
}

// loadPyodide() never settles when one of its files cannot be fetched (it only logs a warning, or
// the failure surfaces as an unhandled rejection), so the worker watches those fetches itself and
// reports a failure at once (the page then retries the plain way in a fresh worker, or gives up).
let failAttempt = null;

function attemptFailed(message) {
  if (api) return;
  if (failAttempt) failAttempt(new Error(message));
  else post({ type: "error", message });
}

function watchRuntimeFetches(prefixes) {
  const realFetch = self.fetch.bind(self);
  self.fetch = (input, init) => {
    const promise = realFetch(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input && input.url;
    if (!api && typeof url === "string" && prefixes.some((prefix) => prefix && url.startsWith(prefix))) {
      promise.then((response) => {
        if (!response.ok) attemptFailed(`${url}: HTTP ${response.status}`);
      }, (error) => attemptFailed(`${url}: ${String((error && error.message) || error)}`));
    }
    return promise;
  };
}

self.addEventListener("unhandledrejection", (event) => {
  const reason = event.reason;
  attemptFailed(String((reason && reason.message) || reason || "ошибка загрузки движка"));
});

// One start attempt. mode: "plain" (npm stdlib + source wheel), "bytecode" (bytecode stdlib and
// wheel), "snapshot" (bytecode + memory snapshot, only if the snapshot is in the HTTP cache).
async function boot(message, mode) {
  const failure = new Promise((_, reject) => { failAttempt = reject; });
  failure.catch(() => {});
  try {
    const options = { indexURL: message.runtime, stdout: () => {}, stderr: () => {} };
    if (mode === "snapshot") {
      let cached;
      try {
        cached = await fetch(message.snapshot, { cache: "only-if-cached", mode: "same-origin" });
      } catch (error) {
        return null; // not in the cache: a first visit never downloads the snapshot to start
      }
      if (!cached.ok) return null;
      options._loadSnapshot = cached.arrayBuffer();
    }
    if (mode !== "plain") options.stdLibURL = message.stdlib; // fetched by Pyodide beside the wasm
    const wheel = fetchOk(mode === "plain" ? message.wheel : message.bytecodeWheel);
    wheel.catch(() => {});
    const { loadPyodide } = await Promise.race([import(message.runtime + "pyodide.mjs"), failure]);
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

async function init(message) {
  config = message;
  watchRuntimeFetches([message.runtime, message.stdlib]);
  post({ type: "progress", stage: "runtime" });
  const bytecode = Boolean(message.stdlib && message.bytecodeWheel);
  let pyodide = null;
  let mode = bytecode ? "bytecode" : "plain";
  if (bytecode && message.snapshot) {
    pyodide = await boot(message, "snapshot"); // null when the snapshot is not in the HTTP cache
    if (pyodide) {
      prefetched = true;
      mode = "snapshot";
    }
  }
  if (!pyodide) pyodide = await boot(message, mode);
  post({ type: "ready", version: pyodide.version, mode });
}

function ensureProvider(id) {
  if (typeof id !== "string" || !/^[a-z][a-z0-9_]*$/.test(id)) {
    return Promise.reject(new Error("unknown provider"));
  }
  if (!loaded.has(id)) {
    const promise = fetchOk(`${config.data}${id}.json`, "text").then((text) => api.register_policy(text));
    promise.catch(() => loaded.delete(id));
    loaded.set(id, promise);
  }
  return loaded.get(id);
}

async function call(message) {
  try {
    await ensureProvider(message.request.provider);
    const response = JSON.parse(api.handle(JSON.stringify(message.request)));
    post({ type: "result", id: message.id, response });
  } catch (error) {
    post({ type: "result", id: message.id, response: { ok: false, error: String((error && error.message) || error) } });
  }
}

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    init(message).catch((error) => post({ type: "error", message: String((error && error.message) || error) }));
  } else if (message.type === "prefetch") {
    prefetchSnapshot();
  } else if (message.type === "call") {
    call(message);
  }
};
