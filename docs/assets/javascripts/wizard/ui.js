// Triage wizard UI: describe -> questions -> result, on top of the engine worker (engine.js).
//
// The page (templates/wizard.md.j2) holds the describe step as plain HTML and empty shells for
// the other steps; the step modules fill them. Rules kept throughout:
//   - elements are found by data-* attributes only;
//   - customer and writer text only ever goes into textContent / value (never innerHTML);
//   - what the customer types stays in this tab, is never sent anywhere, and is never thrown away
//     by an engine error or timeout; sessionStorage ("triage:v1") keeps it only with every secret
//     masked, as the draft shows it (persist.js).
//
// Modules: ui.js (this: the Wizard, which owns the state and moves between steps), state.js
// (state, storage, deep link), persist.js (stores the state masked), clean.js (input cleaning and
// the length cap), history.js (Back/Forward), client.js (engine calls), describe.js,
// questions.js, result.js (+ recommend.js, fields.js, draft.js): one per step, ask.js (the topic
// question and the explanation), actions.js (copy/download), context.js (the customer's clock, the
// referring page), dom.js (helpers); engine.js + worker.js + protocol.js: the engine and its protocol.
// Labels, field order and the draft's wording all come from the engine's answer: nothing here
// composes them.
import { el, siteRoot } from "./dom.js";
import { cleanText } from "./clean.js";
import { localNow, referringProvider } from "./context.js";
import { EngineClient } from "./client.js";
import { engineConfig, readConfig } from "./preload.js";
import { StepHistory } from "./history.js";
import { Persister } from "./persist.js";
import { STEPS, canLeaveDescribe, catalog, engineRequest, initialState, providerOf } from "./state.js";
import { DescribeStep } from "./describe.js";
import { QuestionsStep } from "./questions.js";
import { ResultStep } from "./result.js";
// Imported by the modules above, listed here too: the browser then fetches every module as soon as
// this one is parsed (one round trip, not one per level of imports) and the engine starts sooner.
import "./engine.js";
import "./draft.js";
import "./fields.js";
import "./actions.js";

/** @typedef {import("./state.js").Step} Step */
/** @typedef {import("./state.js").State} State */
/** @typedef {import("./protocol.js").TriageResult} TriageResult */
/** @typedef {import("./engine.js").Engine} Engine */

/**
 * The page's config (<template data-triage-config>, written by the build: sitebuild wizard_config).
 * @typedef {object} WizardConfig
 * @property {string} runtime
 * @property {string} wheel
 * @property {string} data
 * @property {string} [stdlib]
 * @property {string} [bytecodeWheel]
 * @property {string} [snapshot]
 * @property {number} [timeoutMs]
 * @property {import("./state.js").ProviderInfo[]} providers
 * @property {Labels} labels
 */

/**
 * Channel kinds' short names from the engine's vocabulary (triage/vocab.py). Field labels, order
 * and hints are not here: they come with every answer (draft.fields).
 * @typedef {object} Labels
 * @property {Record<string, string>} kinds
 */

/** @type {Record<string, string>} */
const STAGE_LABELS = {
  runtime: "среда выполнения",
  engine: "правила провайдеров",
  ready: "почти готово",
};

export class Wizard {
  /**
   * @param {HTMLElement} root
   * @param {URLSearchParams} params  the page's query (a deep link), read once by wizard.js
   */
  constructor(root, params) {
    this.root = root;
    this.config = readConfig(root);
    this.base = siteRoot();
    this.catalog = catalog(this.config.providers);
    this.labels = this.config.labels;
    this.aborter = new AbortController();
    /** @type {Set<ReturnType<typeof setTimeout>>} */
    this.timers = new Set();
    this.destroyed = false;
    this.ready = false;
    this.pendingNext = false;
    this.navToken = 0; // a newer step change makes older pending ones stale
    this.client = new EngineClient(engineConfig(this.config, this.base));
    /** @template {Element} T @param {string} selector @returns {T} */
    const q = (selector) => /** @type {T} */ (root.querySelector(selector));
    this.dom = {
      progress: /** @type {HTMLElement} */ (q("[data-progress]")),
      error: /** @type {HTMLElement} */ (q("[data-error]")),
      errorReason: /** @type {HTMLElement} */ (q("[data-error-reason]")),
      staticLink: /** @type {HTMLAnchorElement} */ (q("a[data-static-link]")),
      form: /** @type {HTMLFormElement} */ (q('form[data-form="describe"]')),
      provider: /** @type {HTMLSelectElement} */ (q("select[data-provider-select]")),
      text: /** @type {HTMLTextAreaElement} */ (q("textarea[data-describe-text]")),
      suggestBox: /** @type {HTMLElement} */ (q("[data-suggestions-box]")),
      suggestions: /** @type {HTMLElement} */ (q("ul[data-suggestions]")),
      notice: /** @type {HTMLElement} */ (q("[data-notice]")),
      restart: /** @type {HTMLElement} */ (q('button[data-action="restart"]')),
      back: /** @type {HTMLElement} */ (q('.triage__bar button[data-action="back"]')),
      retry: /** @type {HTMLElement} */ (q('button[data-action="retry"]')),
      panels: /** @type {Record<Step, HTMLElement>} */ (
        Object.fromEntries(STEPS.map((step) => [step, q(`[data-step-panel="${step}"]`)]))),
    };
    const { state, deepKeys } = initialState(this.catalog, params, leftBehind);
    leftBehind = null;
    // No provider is preselected unless the link or the page the customer came from chose it.
    if (!state.provider) state.provider = referringProvider(new Set(this.catalog.byId.keys()));
    /** @type {State} */
    this.state = state;
    this.deepKeys = deepKeys;
    this.history = new StepHistory();
    this.persist = new Persister(this);
    this.describeStep = new DescribeStep(this);
    this.questionsStep = new QuestionsStep(this);
    this.resultStep = new ResultStep(this);
  }

  /**
   * addEventListener, removed again by destroy().
   * @param {EventTarget} target
   * @param {string} type
   * @param {(event: Event) => void} handler
   * @param {AddEventListenerOptions} [options]
   */
  on(target, type, handler, options = {}) {
    target.addEventListener(type, handler, { ...options, signal: this.aborter.signal });
  }

  /**
   * setTimeout that never fires after destroy().
   * @param {() => void} fn
   * @param {number} ms
   */
  later(fn, ms) {
    const id = setTimeout(() => {
      this.timers.delete(id);
      if (!this.destroyed) fn();
    }, ms);
    this.timers.add(id);
    return id;
  }

  /** @param {ReturnType<typeof setTimeout> | number} id */
  cancel(id) {
    clearTimeout(id);
    this.timers.delete(/** @type {ReturnType<typeof setTimeout>} */ (id));
  }

  // --- state ------------------------------------------------------------------------------

  /** @param {string} [id] */
  provider(id = this.state.provider) {
    return providerOf(this.catalog, id);
  }

  save() {
    this.persist.save();
  }

  /** After a keystroke: stored in idle time (see Persister.saveSoon). */
  saveSoon() {
    this.persist.saveSoon();
  }

  canLeaveDescribe() {
    return canLeaveDescribe(this.state);
  }

  /** @param {import("./protocol.js").Op} [op] */
  request(op = "triage") {
    return { ...engineRequest(this.state, op), now: localNow() };
  }

  // --- start / stop ----------------------------------------------------------------------

  start() {
    const d = this.dom;
    this.adoptEarlyInput();
    d.provider.value = this.state.provider;
    d.text.value = this.state.text;
    this.updateStaticLink();
    this.describeStep.bind();
    this.on(d.restart, "click", (event) => {
      event.preventDefault();
      this.describeStep.restart();
    });
    this.on(d.retry, "click", () => this.retryEngine());
    this.on(d.back, "click", () => this.back());
    this.on(window, "popstate", () => this.go(this.history.popped(), { history: "none" }));

    if (this.deepKeys.size && this.state.step !== "describe") {
      // A deep link lands on the result; Back still leads to the (prefilled) describe step.
      this.history.replace("describe");
      this.history.push(this.state.step);
    } else {
      // The address loses the deep link's values: what the customer types later is not overwritten
      // by a reload, and nothing they typed stays in the address bar or the browser history.
      this.history.replace(this.state.step);
    }

    // Show the step first (a placeholder if it needs the engine), then connect: an engine that is
    // already ready (instant navigation back to this page) fills it in right away.
    const pending = d.form.dataset.pendingNext === "1"; // set by wizard.js before this module arrived
    delete d.form.dataset.pendingNext;
    if (pending && this.state.step === "describe") this.describeStep.next();
    else this.go(this.state.step, { history: "none", focus: this.state.step !== "describe" });
    this.connectEngine();
  }

  // What the customer typed or chose before this module arrived (or what the browser restored)
  // is kept; only a deep link's own values take precedence.
  adoptEarlyInput() {
    const d = this.dom;
    const form = d.form;
    const dirty = form.dataset.dirty === "1";
    delete form.dataset.dirty;
    const text = cleanText(d.text.value);
    if (!this.deepKeys.has("text") && text && text !== this.state.text && (dirty || !this.state.text.trim())) {
      this.state = { ...this.state, text, topic: this.deepKeys.has("topic") ? this.state.topic : null };
      if (this.state.step !== "describe" && !this.deepKeys.size) this.state.step = "describe";
    }
    const chosen = d.provider.value;
    if (dirty && !this.deepKeys.has("provider") && this.catalog.byId.has(chosen) && chosen !== this.state.provider) {
      this.state = { ...this.state, provider: chosen, topic: null, answers: {}, asked: [] };
    }
    this.save();
  }

  destroy() {
    // Instant navigation away: the state stays in this document's memory (never in storage unmasked),
    // so coming back to the wizard shows what was typed even before it was stored.
    leftBehind = { ...this.state, text: cleanText(this.dom.text.value) };
    this.persist.destroy();
    this.destroyed = true;
    this.aborter.abort();
    for (const id of this.timers) clearTimeout(id);
    this.timers.clear();
    this.resultStep.destroy();
    this.describeStep.destroy();
    this.client.disconnect();
  }

  // --- engine ------------------------------------------------------------------------------

  connectEngine() {
    this.client.connect((engine) => this.onEngine(engine));
  }

  /** @param {Engine} engine */
  onEngine(engine) {
    if (this.destroyed) return;
    const d = this.dom;
    this.root.dataset.state = engine.state;
    if (engine.mode) this.root.dataset.engineStart = engine.mode; // how it started (diagnostics, tests)
    if (engine.state === "loading") {
      d.progress.hidden = false;
      d.progress.textContent = `Загружаем мастер… ${STAGE_LABELS[engine.stage] || ""}`.trim();
      d.error.hidden = true;
      return;
    }
    d.progress.hidden = true;
    d.progress.textContent = "";
    if (engine.state === "ready") {
      d.error.hidden = true;
      if (this.ready) return;
      this.ready = true;
      this.onReady();
    } else if (engine.state === "error") {
      this.ready = false;
      this.showEngineError(engine.error);
    }
  }

  onReady() {
    this.warmProvider();
    this.persist.engineReady();
    if (this.state.step === "describe") {
      this.describeStep.runSuggest();
      if (this.pendingNext) {
        this.pendingNext = false;
        this.describeStep.next();
      }
    } else {
      this.go(this.state.step, { history: "none", focus: false });
    }
  }

  /** @param {unknown} error */
  showEngineError(error) {
    const d = this.dom;
    const waiting = this.pendingNext;
    this.pendingNext = false;
    // The customer who pressed "Дальше" is looking at the button: say it there too.
    if (waiting) {
      this.describeStep.setNotice("Мастер не запустился. Ваш текст сохранён; правила обращения есть в справке:", "error",
        this.guidanceLink());
    } else {
      this.describeStep.setNotice("");
    }
    d.errorReason.textContent = "Не удалось запустить мастер в этом браузере. Проверьте подключение к интернету " +
      "и попробуйте ещё раз.";
    this.updateStaticLink();
    d.error.hidden = false;
    // Keep what is on screen; a step that never got its content shows the describe step instead,
    // where the typed text stays visible and editable.
    const step = this.state.step;
    const shown = this.resultStep.shown;
    if (step !== "describe" && !(step === "result" ? shown : this.questionsStep.rendered)) {
      this.show("describe");
    } else if (step === "result" && shown) {
      // Everything typed stays in the fields and the last draft stays copyable.
      const box = this.resultStep.dom.callError;
      /** @type {Element} */ (box.querySelector("[data-call-error-text]")).replaceChildren("Мастер перестал отвечать. " +
        "Всё, что вы ввели, сохранено, последний черновик можно скопировать. Правила обращения есть в справке:", " ",
        this.guidanceLink());
      box.hidden = false;
    } else if (step === "questions") {
      this.questionsStep.setStatus("Мастер перестал отвечать: нажмите «Попробовать ещё раз» вверху страницы.");
    }
    if (error) console.error("wizard engine:", error);
  }

  retryEngine() {
    this.dom.error.hidden = true;
    this.describeStep.setNotice("");
    this.ready = false;
    this.connectEngine();
    if (this.state.step === "describe") this.dom.provider.focus();
  }

  warmProvider() {
    // Fetches and compiles the provider's rules in the worker now, so the first answer is quick.
    if (!this.state.provider) return;
    this.client.call(this.request("topics")).catch(() => {});
  }

  /**
   * The triage result for the current state, or null (the error is already on screen).
   * @returns {Promise<TriageResult | null>}
   */
  async triage() {
    try {
      const request = this.request("triage");
      const response = await this.client.call(request);
      if (this.destroyed) return null;
      if (!response || !response.ok) {
        this.showCallError(response && !response.ok ? response.error : null);
        return null;
      }
      this.showCallError(null);
      const result = /** @type {TriageResult} */ (response.result);
      this.persist.learn(request, result.input);
      return result;
    } catch {
      return null; // engine failure: onEngine shows it
    }
  }

  /** @param {string | null} message */
  showCallError(message) {
    const box = this.resultStep.dom.callError;
    const text = "Не получилось обработать данные. Всё, что вы ввели, сохранено: попробуйте ещё раз " +
      "или воспользуйтесь справкой по провайдеру.";
    if (!message && box.hidden && this.state.step !== "describe") return; // nothing to clear (every keystroke)
    if (message) console.error("wizard engine call:", message);
    if (this.state.step === "describe") {
      this.describeStep.setNotice(message ? text : "", message ? "error" : "", message ? this.guidanceLink() : null);
      return;
    }
    box.hidden = !message;
    if (message) /** @type {Element} */ (box.querySelector("[data-call-error-text]")).replaceChildren(text, " ", this.guidanceLink());
  }

  /** The provider's help page (all providers while none is chosen): address and link text. */
  guidance() {
    if (!this.state.provider) return { href: new URL("providers/", this.base).href, text: "Провайдеры: как обратиться в поддержку" };
    const provider = this.provider();
    return { href: new URL(provider.page, this.base).href, text: `${provider.name}: как обратиться в поддержку` };
  }

  guidanceLink() {
    return el("a", this.guidance());
  }

  updateStaticLink() {
    const { href, text } = this.guidance();
    const link = this.dom.staticLink;
    link.href = href;
    link.textContent = text;
  }

  // --- steps -------------------------------------------------------------------------------

  /**
   * @param {Step} step
   * @param {boolean} [focus]  move the focus to the step's heading
   */
  show(step, focus = false) {
    this.root.dataset.step = step;
    this.dom.back.hidden = step === "describe"; // «Назад» at the top of the later steps
    for (const [name, panel] of Object.entries(this.dom.panels)) panel.hidden = name !== step;
    if (focus) {
      const heading = /** @type {HTMLElement} */ (this.dom.panels[step].querySelector("[data-step-heading]"));
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
    }
  }

  /**
   * Show a step. opts: history ("push" | "replace" | "none"), focus, result (already computed).
   * @param {Step} step
   * @param {{history?: import("./history.js").HistoryMode, focus?: boolean, result?: TriageResult | null}} [opts]
   * @returns {Promise<void>}
   */
  async go(step, { history: mode = "push", focus = true, result = null } = {}) {
    const token = ++this.navToken;
    if (step !== "describe" && !this.canLeaveDescribe()) step = "describe";
    this.state.step = step;
    this.save();
    this.history.record(step, mode);
    if (step === "describe") {
      this.show("describe", focus);
      return;
    }
    this.show(step, focus);
    const view = step === "questions" ? this.questionsStep : this.resultStep;
    if (!result) {
      view.setStatus(this.ready ? "Готовим рекомендацию…" : "Мастер загружается — рекомендация появится сама…");
      if (!this.ready) return; // onReady() comes back here
      result = await this.triage();
      if (token !== this.navToken || this.destroyed) return;
      if (!result) {
        view.setStatus("");
        return;
      }
    }
    view.setStatus("");
    if (step === "questions") {
      if (!this.questionsStep.wanted(result)) {
        this.go("result", { history: "replace", focus, result });
        return;
      }
      this.questionsStep.render(this.questionsStep.questionIds(result), result);
    } else {
      this.resultStep.render(result);
    }
  }

  back() {
    const previous = this.state.step === "result" && this.state.asked.length ? "questions" : "describe";
    if (!this.history.back()) this.go(previous, { history: "replace" });
  }

  resetResult() {
    this.resultStep.reset();
    this.questionsStep.reset();
  }
}

/** @type {unknown} the state of the wizard this document showed last (see destroy) */
let leftBehind = null;

/**
 * Start the wizard in root; returns the function that stops it (wizard.js calls it when Material's
 * instant navigation replaces the page).
 * @param {HTMLElement} root
 * @param {URLSearchParams} [params]  the deep link (wizard.js has already removed it from the address)
 */
export function mount(root, params = new URLSearchParams(location.search)) {
  const wizard = new Wizard(root, params);
  wizard.start();
  return () => wizard.destroy();
}
