// Triage engine worker (module worker): runs the very same triage/ package as CPython, in Pyodide.
// Protocol (postMessage):
//   in  {type: "init", runtime, wheel, data}        absolute URLs (runtime and data end with "/")
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

async function init(message) {
  config = message;
  post({ type: "progress", stage: "runtime" });
  const wheel = fetchOk(message.wheel); // in parallel with the runtime
  const { loadPyodide } = await import(message.runtime + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: message.runtime, stdout: () => {}, stderr: () => {} });
  post({ type: "progress", stage: "engine" });
  const site = pyodide.pyimport("site");
  const sitePackages = site.getsitepackages().toJs()[0];
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
  api = pyodide.pyimport("triage.api");
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

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    init(message).catch((error) => post({ type: "error", message: String((error && error.message) || error) }));
  } else if (message.type === "call") {
    call(message);
  }
};
