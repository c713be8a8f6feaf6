// Triage engine worker (module worker): runs the very same triage/ package as CPython, in Pyodide.
// Protocol (postMessage):
//   in  {type: "init", runtime, wheel, data, stdlib?, bytecodeWheel?}
//                                                  absolute URLs (runtime and data end with "/"); stdlib and
//                                                  bytecodeWheel: the stdlib subset and the engine as Pyodide
//                                                  bytecode (build.py); if either fails, the plain ones are used
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

// loadPyodide() never settles when one of its runtime files cannot be fetched (it only logs a
// warning), so the worker watches those fetches itself and reports the failure at once.
function watchRuntimeFetches(runtime) {
  const realFetch = self.fetch.bind(self);
  const failed = (url, why) => {
    if (!api) post({ type: "error", message: `${url}: ${why}` });
  };
  self.fetch = (input, init) => {
    const promise = realFetch(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input && input.url;
    if (!api && typeof url === "string" && url.startsWith(runtime)) {
      promise.then((response) => {
        if (!response.ok) failed(url, `HTTP ${response.status}`);
      }, (error) => failed(url, String((error && error.message) || error)));
    }
    return promise;
  };
}

async function boot(message, bytecode) {
  // Start every download at once; the runtime's own files are fetched by loadPyodide.
  const wheel = fetchOk(bytecode ? message.bytecodeWheel : message.wheel);
  const stdlib = bytecode ? fetchOk(message.stdlib) : null;
  // Awaited later: mark them handled now so a failed download is not an "unhandled rejection".
  wheel.catch(() => {});
  if (stdlib) stdlib.catch(() => {});
  const { loadPyodide } = await import(message.runtime + "pyodide.mjs");
  const options = { indexURL: message.runtime, stdout: () => {}, stderr: () => {} };
  let stdlibUrl = null;
  if (stdlib) {
    stdlibUrl = URL.createObjectURL(new Blob([await stdlib]));
    options.stdLibURL = stdlibUrl;
  }
  try {
    const pyodide = await loadPyodide(options);
    post({ type: "progress", stage: "engine" });
    const site = pyodide.pyimport("site");
    const sitePackages = site.getsitepackages().toJs()[0];
    pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
    return pyodide;
  } finally {
    if (stdlibUrl) URL.revokeObjectURL(stdlibUrl);
  }
}

async function init(message) {
  config = message;
  watchRuntimeFetches(message.runtime);
  post({ type: "progress", stage: "runtime" });
  let pyodide = null;
  if (message.stdlib && message.bytecodeWheel) {
    try {
      pyodide = await boot(message, true);
      api = pyodide.pyimport("triage.api");
    } catch (error) {
      // Bytecode is an optimisation only: fall back to the plain stdlib and wheel.
      pyodide = null;
      api = null;
    }
  }
  if (!api) {
    pyodide = await boot(message, false);
    api = pyodide.pyimport("triage.api");
  }
  post({ type: "ready", version: pyodide.version });
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

// Pyodide does not reject loadPyodide() when its WebAssembly cannot be fetched: the failure only
// surfaces as an unhandled rejection. Report it at once instead of waiting for the page's timeout.
self.addEventListener("unhandledrejection", (event) => {
  if (api) return;
  const reason = event.reason;
  post({ type: "error", message: String((reason && reason.message) || reason || "ошибка загрузки движка") });
});

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    init(message).catch((error) => post({ type: "error", message: String((error && error.message) || error) }));
  } else if (message.type === "call") {
    call(message);
  }
};
