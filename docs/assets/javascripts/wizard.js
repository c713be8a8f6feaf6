// Wizard loader, included on every page (mkdocs.yml extra_javascript, type: module).
// It stays tiny: only a page with [data-triage] imports the wizard UI, which starts the engine
// (a Pyodide worker). Material's document$ emits after every instant navigation, so the wizard is
// mounted whenever its page appears and unmounted when another page replaces it.
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
  if (!ui) ui = import("./wizard/ui.js");
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
