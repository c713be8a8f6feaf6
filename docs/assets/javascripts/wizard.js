// Wizard loader, included on every page (mkdocs.yml extra_javascript, type: module).
// It stays tiny: only a page with [data-triage] imports the wizard UI and starts the engine
// (a Pyodide worker, wizard/preload.js), or a page whose visitor shows intent to open the wizard
// (pointer on a wizard link, focus, touch): nothing wasm-sized loads without one of these.
// Material's document$ emits after every instant navigation, so the wizard is mounted whenever its
// page appears and unmounted when another page replaces it; the engine stays (engine.js).
const SITE = new URL("../../", import.meta.url); // this file is assets/javascripts/wizard.js
const WIZARD = new URL("wizard/", SITE);
/** @type {(() => void) | null} */
let unmount = null;
/** @type {Promise<typeof import("./wizard/ui.js")> | null} */
let ui = null;

/**
 * The page's query, read once: a deep link (?provider=&text=...) is removed from the address bar
 * before anything else loads, so the customer's text stays out of the history and of the Referer
 * of the requests that follow. Only ?step= (a step of the wizard, nothing typed) stays.
 */
function takeQuery() {
  const params = new URLSearchParams(location.search);
  if (location.search) {
    const url = new URL(location.href);
    const step = params.get("step");
    url.search = "";
    if (step) url.searchParams.set("step", step);
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }
  return params;
}

/** @param {Event} event */
function earlyInput(event) {
  // Typed or chosen before the UI module arrived: ui.js keeps these values.
  /** @type {HTMLElement} */ (event.currentTarget).dataset.dirty = "1";
}

/** @param {Event} event */
function earlySubmit(event) {
  // "Дальше" pressed before the UI module arrived: remember it, ui.js continues from there.
  event.preventDefault();
  /** @type {HTMLElement} */ (event.currentTarget).dataset.pendingNext = "1";
}

/**
 * @param {HTMLElement} root
 * @param {unknown} error
 */
function showLoadError(root, error) {
  root.dataset.state = "error";
  const box = /** @type {HTMLElement | null} */ (root.querySelector("[data-error]"));
  const progress = /** @type {HTMLElement | null} */ (root.querySelector("[data-progress]"));
  if (progress) progress.hidden = true;
  if (box) box.hidden = false;
  const select = /** @type {HTMLSelectElement | null} */ (root.querySelector("select[data-provider-select]"));
  const link = root.querySelector("a[data-static-link]");
  const option = select && select.selectedOptions[0];
  if (link && option) {
    link.setAttribute("href", `../providers/${option.value}/`);
    link.textContent = `${option.textContent}: как обратиться в поддержку`;
  }
  console.error("wizard: the UI could not be loaded", error);
}

// The engine starts at most once per page load from here (engine.js restarts a failed one).
let started = false;

/** preload.js, with engine.js (its import) requested beside it rather than after it. */
function preloadEngine() {
  import("./wizard/engine.js").catch(() => {}); // the import below reports a failure
  return import("./wizard/preload.js");
}

/** Start the engine (and fetch the UI) ahead of the wizard, from the wizard page or on intent. */
function warm() {
  if (started) return;
  const connection = /** @type {{connection?: {saveData?: boolean}}} */ (navigator).connection;
  if (connection && connection.saveData) return; // the visitor asked for fewer bytes: wait for the click
  started = true;
  preloadEngine()
    .then((module) => module.warmFrom(WIZARD.href, SITE.href))
    .catch(() => { started = false; });
  if (!ui) {
    ui = import("./wizard/ui.js");
    ui.catch(() => {}); // check() reports a failure if the wizard is opened
  }
}

/**
 * The wizard link an event happened on, if any.
 * @param {EventTarget | null} target
 */
function wizardLink(target) {
  const link = target instanceof Element ? target.closest("a[href]") : null;
  if (!(link instanceof HTMLAnchorElement)) return null;
  const url = new URL(link.href, location.href);
  return url.origin === WIZARD.origin && url.pathname === WIZARD.pathname ? link : null;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let dwell;
const DWELL_MS = 50; // a pointer only passing over the link is no intent

/** @param {Event} event */
function onIntent(event) {
  if (started || !wizardLink(event.target)) return;
  clearTimeout(dwell);
  if (event.type === "pointerover" && /** @type {PointerEvent} */ (event).pointerType === "mouse") {
    dwell = setTimeout(warm, DWELL_MS);
  } else {
    warm();
  }
}

/** @param {Event} event */
function onLeave(event) {
  const link = wizardLink(event.target);
  const to = /** @type {PointerEvent} */ (event).relatedTarget;
  if (link && !(to instanceof Node && link.contains(to))) clearTimeout(dwell);
}

document.addEventListener("pointerover", onIntent, { passive: true });
document.addEventListener("pointerout", onLeave, { passive: true });
document.addEventListener("focusin", onIntent);
document.addEventListener("touchstart", onIntent, { passive: true });

function check() {
  if (unmount) {
    unmount();
    unmount = null;
  }
  const root = /** @type {HTMLElement | null} */ (document.querySelector("[data-triage]"));
  if (!root) return;
  const params = takeQuery();
  const form = root.querySelector('form[data-form="describe"]');
  if (form) {
    form.addEventListener("submit", earlySubmit);
    form.addEventListener("input", earlyInput);
    form.addEventListener("change", earlyInput);
  }
  /** @type {Promise<unknown>} */
  let engineStarted = Promise.resolve();
  if (!started) {
    // The engine starts first (if boot.js has not yet): the UI's fifteen modules would otherwise
    // hold the connections its worker's script waits for.
    started = true;
    engineStarted = preloadEngine()
      .then((module) => module.startEngine(module.readConfig(root), SITE.href, params.get("provider")))
      .catch(() => {}); // ui.js starts it again and shows what went wrong
  }
  if (!ui) ui = engineStarted.then(() => import("./wizard/ui.js"));
  const detach = () => {
    if (!form) return;
    form.removeEventListener("submit", earlySubmit);
    form.removeEventListener("input", earlyInput);
    form.removeEventListener("change", earlyInput);
  };
  ui.then((module) => {
    detach();
    if (root.isConnected && !unmount) unmount = module.mount(root, params);
  }).catch((error) => {
    ui = null; // a later navigation may try again
    detach();
    showLoadError(root, error);
  });
}

// Material's observable of page loads (instant navigation), when the theme provides it.
const documents = /** @type {{document$?: {subscribe?: (fn: () => void) => unknown}}} */ (/** @type {unknown} */ (window)).document$;
if (documents && typeof documents.subscribe === "function") {
  documents.subscribe(check);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", check, { once: true });
} else {
  check();
}
