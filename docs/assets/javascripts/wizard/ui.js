// Triage wizard UI: describe -> questions -> result, on top of the engine worker (engine.js).
//
// The page (templates/wizard.md.j2) holds the describe step as plain HTML and empty shells for
// the other steps; this module fills them. Rules kept throughout:
//   - elements are found by data-* attributes only;
//   - customer and writer text only ever goes into textContent / value (never innerHTML);
//   - what the customer types stays in this tab (sessionStorage "triage:v1"), is never sent
//     anywhere, and is never thrown away by an engine error or timeout.
import { getEngine } from "./engine.js";

const STORAGE_KEY = "triage:v1";
const TYPING_DELAY_MS = 150;
const CALL_TIMEOUT_MS = 20000;
const STEPS = ["describe", "questions", "result"];
const TEXT_LIMIT = 20000;

const STAGE_LABELS = {
  runtime: "среда выполнения",
  engine: "правила провайдеров",
  ready: "почти готово",
};

const DRAFT_TITLES = {
  ticket: "Черновик заявки",
  email: "Черновик письма",
  phone: "Сценарий звонка",
  chat: "Первое сообщение в чат",
  messenger: "Первое сообщение в мессенджере",
  self_service: "Памятка: как сделать самостоятельно",
};

const DRAFT_HINTS = {
  ticket: (area) => `Скопируйте текст и вставьте его в форму заявки (${area}). ` +
    "Тему, отдел и приоритет выберите такими, как указано в начале черновика.",
  email: () => "Скопируйте текст в письмо или откройте его сразу в почтовой программе.",
  phone: () => "Держите сценарий перед глазами во время звонка: что подготовить, " +
    "что сотрудник не сможет сделать по телефону и что сказать.",
  chat: () => "Скопируйте первое сообщение и отправьте его в начале разговора.",
  messenger: () => "Скопируйте первое сообщение и отправьте его в начале разговора.",
  self_service: () => "Обращаться в поддержку не нужно: сделайте это сами по шагам из памятки.",
};

// Fields that hold several lines; all others are one-line inputs.
const MULTILINE = new Set(["text", "steps", "expected", "actual", "tried", "context", "want", "procedure"]);

const PLACEHOLDERS = {
  login: "например, user123",
  contract: "например, 123456/21",
  domain: "example.ru",
  ip: "203.0.113.10",
  order: "#123456",
  email: "name@example.ru",
  reply_to: "name@example.ru",
  started_at: "например, 21.11 около 14:30 МСК",
  error_text: "например, 550 5.1.1 User unknown",
  urls: "https://example.ru/…",
};

const AUTOCOMPLETE = { email: "email", reply_to: "email" };

// --- small helpers -------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "hidden") node.hidden = true;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value, limit = TEXT_LIMIT) => (typeof value === "string" ? value.slice(0, limit) : "");
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function siteRoot() {
  // Material's config knows the site root relative to this page ("..", "../.." ...); resolving it
  // against the current address works under any prefix and after instant navigation.
  try {
    const config = JSON.parse(document.querySelector("#__config").textContent);
    return new URL(config.base || ".", location.href).href;
  } catch (error) {
    return new URL("..", location.href).href;
  }
}

function readConfig(root) {
  // Material's instant navigation re-creates scripts of the content without their attributes,
  // so fall back to the first script of the wizard.
  const node = root.querySelector("script[data-triage-config]") || root.getElementsByTagName("script")[0];
  return JSON.parse(node.textContent);
}

async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (error) {
    // fall through to the old way
  }
  const active = document.activeElement;
  const area = el("textarea", { readonly: true, "aria-hidden": "true", class: "triage__offscreen" });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch (error) {
    ok = false;
  }
  area.remove();
  if (active && typeof active.focus === "function") active.focus();
  return ok;
}

function fileName(parts) {
  const name = parts.filter(Boolean).join(" — ")
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ").trim().slice(0, 120).replace(/[. ]+$/, "");
  return `${name || "Обращение в поддержку"}.txt`;
}

class TimeoutError extends Error {}

// --- the wizard ----------------------------------------------------------------------------

class Wizard {
  constructor(root) {
    this.root = root;
    this.config = readConfig(root);
    this.base = siteRoot();
    this.providers = new Map(this.config.providers.map((p) => [p.id, p]));
    this.labels = this.config.labels;
    this.aborter = new AbortController();
    this.timers = new Set();
    this.destroyed = false;
    this.ready = false;
    this.pendingNext = false;
    this.navToken = 0;
    this.result = null; // the last triage result on screen
    this.touched = new Set(); // detail fields whose validation messages may show
    this.live = { timer: 0, inflight: false, dirty: false };
    this.suggest = { timer: 0, seq: 0, sig: "" };
    this.fieldWraps = new Map(); // field name -> wrapper element of the result step
    this.recBlocks = new Map(); // recommendation block key -> {sig, node}
    this.messageSigs = new WeakMap(); // field wrapper -> signature of its messages
    this.sigs = {};
    const q = (selector) => root.querySelector(selector);
    this.dom = {
      progress: q("[data-progress]"),
      error: q("[data-error]"),
      errorReason: q("[data-error-reason]"),
      staticLink: q("a[data-static-link]"),
      form: q('form[data-form="describe"]'),
      provider: q("select[data-provider-select]"),
      text: q("textarea[data-describe-text]"),
      suggestBox: q("[data-suggestions-box]"),
      suggestions: q("ul[data-suggestions]"),
      notice: q("[data-notice]"),
      restart: q('button[data-action="restart"]'),
      retry: q('button[data-action="retry"]'),
      panels: Object.fromEntries(STEPS.map((step) => [step, q(`[data-step-panel="${step}"]`)])),
    };
    this.state = this.initialState();
  }

  on(target, type, handler, options = {}) {
    target.addEventListener(type, handler, { ...options, signal: this.aborter.signal });
  }

  later(fn, ms) {
    const id = setTimeout(() => {
      this.timers.delete(id);
      if (!this.destroyed) fn();
    }, ms);
    this.timers.add(id);
    return id;
  }

  cancel(id) {
    clearTimeout(id);
    this.timers.delete(id);
  }

  // --- state ------------------------------------------------------------------------------

  defaultProvider() {
    return this.config.providers[0].id;
  }

  provider(id = this.state.provider) {
    return this.providers.get(id) || this.providers.get(this.defaultProvider());
  }

  blankState(providerId = this.defaultProvider()) {
    return { v: 1, provider: providerId, text: "", topic: null, answers: {}, details: {}, asked: [], step: "describe" };
  }

  cleanAnswers(providerId, answers) {
    const out = {};
    for (const q of this.provider(providerId).questions) {
      const value = answers[q.id];
      if (typeof value === "string" && q.options.some((o) => o.value === value)) out[q.id] = value;
    }
    return out;
  }

  cleanState(raw) {
    if (!isObject(raw)) return this.blankState();
    const providerId = this.providers.has(raw.provider) ? raw.provider : this.defaultProvider();
    const provider = this.provider(providerId);
    const details = {};
    if (isObject(raw.details)) {
      for (const [key, value] of Object.entries(raw.details)) {
        if (/^[a-z_]{1,32}$/.test(key) && typeof value === "string") details[key] = str(value);
      }
    }
    const questionIds = new Set(provider.questions.map((q) => q.id));
    return {
      v: 1,
      provider: providerId,
      text: str(raw.text),
      topic: provider.topics.some((t) => t.id === raw.topic) ? raw.topic : null,
      answers: this.cleanAnswers(providerId, isObject(raw.answers) ? raw.answers : {}),
      details,
      asked: Array.isArray(raw.asked) ? raw.asked.filter((id) => questionIds.has(id)) : [],
      step: STEPS.includes(raw.step) ? raw.step : "describe",
    };
  }

  loadStored() {
    try {
      const text = sessionStorage.getItem(STORAGE_KEY);
      return text ? this.cleanState(JSON.parse(text)) : null;
    } catch (error) {
      return null;
    }
  }

  save() {
    try {
      // Nothing entered yet (or everything cleared): nothing is stored.
      if (same(this.state, this.blankState(this.state.provider)) && this.state.provider === this.defaultProvider()) {
        sessionStorage.removeItem(STORAGE_KEY);
        return;
      }
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.state));
    } catch (error) {
      // storage full or disabled: the wizard still works, only reload loses the state
    }
  }

  // Deep link: ?provider=&text=&topic=&<question id>=<value>; values only prefill fields.
  initialState() {
    const params = new URLSearchParams(location.search);
    const stored = this.loadStored();
    let state = stored || this.blankState();
    const deepProvider = this.providers.has(params.get("provider")) ? params.get("provider") : null;
    const providerId = deepProvider || state.provider;
    const provider = this.provider(providerId);
    const deep = {};
    if (params.has("text")) deep.text = str(params.get("text"));
    const topic = params.get("topic");
    if (topic && provider.topics.some((t) => t.id === topic)) deep.topic = topic;
    const answers = {};
    for (const q of provider.questions) {
      const value = (params.get(q.id) || "").trim().toLowerCase();
      if (q.options.some((o) => o.value === value)) answers[q.id] = value;
    }
    const isDeep = Boolean(deepProvider) || "text" in deep || "topic" in deep || Object.keys(answers).length > 0;
    this.deepKeys = new Set([...(deepProvider ? ["provider"] : []), ...Object.keys(deep)]);
    if (isDeep) {
      if (providerId !== state.provider) state = { ...state, provider: providerId, topic: null, answers: {}, asked: [] };
      if ("text" in deep) state = { ...state, text: deep.text, topic: null, asked: [] };
      if ("topic" in deep) state = { ...state, topic: deep.topic };
      state = { ...state, answers: { ...state.answers, ...answers } };
      state.step = deepProvider && ((state.text || "").trim() || state.topic) && ("text" in deep || "topic" in deep)
        ? "result" : "describe";
    } else {
      const fromUrl = params.get("step");
      if (stored && STEPS.includes(fromUrl)) state.step = fromUrl;
    }
    if (state.step !== "describe" && !this.canLeaveDescribe(state)) state.step = "describe";
    return state;
  }

  canLeaveDescribe(state = this.state) {
    return Boolean((state.text || "").trim() || state.topic);
  }

  request(op = "triage") {
    const details = {};
    for (const [key, value] of Object.entries(this.state.details)) if (value.trim()) details[key] = value;
    return {
      op,
      provider: this.state.provider,
      text: this.state.text,
      answers: { ...this.state.answers },
      details,
      topic: this.state.topic,
    };
  }

  // --- start / stop ----------------------------------------------------------------------

  start() {
    const d = this.dom;
    this.adoptEarlyInput();
    d.provider.value = this.state.provider;
    d.text.value = this.state.text;
    this.updateStaticLink();
    this.buildQuestionsShell();
    this.buildResultShell();

    this.on(d.form, "submit", (event) => {
      event.preventDefault();
      this.next();
    });
    this.on(d.provider, "change", () => this.changeProvider(d.provider.value));
    this.on(d.text, "input", () => this.describeInput());
    this.on(d.restart, "click", (event) => {
      event.preventDefault();
      this.restart();
    });
    this.on(d.retry, "click", () => this.retryEngine());
    this.on(window, "popstate", () => this.onPopState());

    const depth = history.state && history.state.triage ? history.state.triage.depth || 0 : 0;
    this.depth = depth;
    if (this.deepKeys.size && this.state.step !== "describe") {
      // A deep link lands on the result; Back still leads to the (prefilled) describe step.
      history.replaceState(this.historyState("describe"), "", this.stepUrl("describe"));
      this.depth += 1;
      history.pushState({ triage: { step: this.state.step, depth: this.depth } }, "", this.stepUrl(this.state.step));
    } else {
      // The address loses the deep link's values: what the customer types later is not overwritten
      // by a reload, and nothing they typed stays in the address bar or the browser history.
      history.replaceState(this.historyState(this.state.step), "", this.stepUrl(this.state.step));
    }

    // Show the step first (a placeholder if it needs the engine), then connect: an engine that is
    // already ready (instant navigation back to this page) fills it in right away.
    const pending = this.dom.form.dataset.pendingNext === "1"; // set by wizard.js before this module arrived
    delete this.dom.form.dataset.pendingNext;
    if (pending && this.state.step === "describe") this.next();
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
    const text = d.text.value;
    if (!this.deepKeys.has("text") && text && text !== this.state.text && (dirty || !this.state.text.trim())) {
      this.state = { ...this.state, text, topic: this.deepKeys.has("topic") ? this.state.topic : null };
      if (this.state.step !== "describe" && !this.deepKeys.size) this.state.step = "describe";
    }
    const chosen = d.provider.value;
    if (dirty && !this.deepKeys.has("provider") && this.providers.has(chosen) && chosen !== this.state.provider) {
      this.state = { ...this.state, provider: chosen, topic: null, answers: {}, asked: [] };
    }
    this.save();
  }

  destroy() {
    this.destroyed = true;
    this.aborter.abort();
    for (const id of this.timers) clearTimeout(id);
    this.timers.clear();
    clearTimeout(this.live.timer);
    clearTimeout(this.suggest.timer);
    if (this.unsubscribe) this.unsubscribe();
  }

  // --- engine ------------------------------------------------------------------------------

  connectEngine() {
    if (this.unsubscribe) this.unsubscribe();
    const c = this.config;
    this.engine = getEngine({ baseUrl: this.base, runtime: c.runtime, wheel: c.wheel, data: c.data, stdlib: c.stdlib,
      bytecodeWheel: c.bytecodeWheel, snapshot: c.snapshot, timeoutMs: c.timeoutMs });
    this.unsubscribe = this.engine.subscribe((engine) => this.onEngine(engine));
  }

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
    if (this.state.step === "describe") {
      this.runSuggest();
      if (this.pendingNext) {
        this.pendingNext = false;
        this.next();
      }
    } else {
      this.go(this.state.step, { history: "none", focus: false });
    }
  }

  showEngineError(error) {
    const d = this.dom;
    const waiting = this.pendingNext;
    this.pendingNext = false;
    // The customer who pressed "Дальше" is looking at the button: say it there too.
    if (waiting) this.setNotice("Мастер не запустился. Ваш текст сохранён; правила обращения есть в справке:", "error",
      this.guidanceLink());
    else this.setNotice("");
    d.errorReason.textContent = "Не удалось запустить мастер в этом браузере. Проверьте подключение к интернету " +
      "и попробуйте ещё раз.";
    this.updateStaticLink();
    d.error.hidden = false;
    // Keep what is on screen; a step that never got its content shows the describe step instead,
    // where the typed text stays visible and editable.
    const step = this.state.step;
    if (step !== "describe" && !(step === "result" ? this.result : this.questionsRendered)) this.show("describe");
    else if (step === "result" && this.result) {
      // Everything typed stays in the fields and the last draft stays copyable.
      const box = this.resultDom.callError;
      box.querySelector("[data-call-error-text]").replaceChildren("Мастер перестал отвечать. Всё, что вы ввели, " +
        "сохранено, последний черновик можно скопировать. Правила обращения есть в справке:", " ", this.guidanceLink());
      box.hidden = false;
    } else if (step === "questions") {
      this.setPanelStatus("questions", "Мастер перестал отвечать: нажмите «Попробовать ещё раз» вверху страницы.");
    }
    if (error) console.error("wizard engine:", error);
  }

  retryEngine() {
    this.dom.error.hidden = true;
    this.setNotice("");
    this.ready = false;
    this.connectEngine();
    if (this.state.step === "describe") this.dom.provider.focus();
  }

  warmProvider() {
    // Fetches and compiles the provider's rules in the worker now, so the first answer is quick.
    this.call(this.request("topics")).catch(() => {});
  }

  async call(request) {
    const engine = this.engine;
    await engine.ready;
    let timer = 0;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError("мастер не ответил вовремя")), CALL_TIMEOUT_MS);
    });
    try {
      return await Promise.race([engine.call(request), timeout]);
    } catch (error) {
      if (error instanceof TimeoutError) engine.dispose(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  // The triage result for the current state, or null (the error is already on screen).
  async triage() {
    try {
      const response = await this.call(this.request("triage"));
      if (this.destroyed) return null;
      if (!response || !response.ok) {
        this.showCallError(response && response.error);
        return null;
      }
      this.showCallError(null);
      return response.result;
    } catch (error) {
      return null; // engine failure: onEngine shows it
    }
  }

  showCallError(message) {
    const box = this.resultDom && this.resultDom.callError;
    const text = "Не получилось обработать данные. Всё, что вы ввели, сохранено: попробуйте ещё раз " +
      "или воспользуйтесь справкой по провайдеру.";
    if (message) console.error("wizard engine call:", message);
    if (this.state.step === "describe" || !box) {
      this.setNotice(message ? text : "", message ? "error" : "", message ? this.guidanceLink() : null);
      return;
    }
    box.hidden = !message;
    if (message) box.querySelector("[data-call-error-text]").replaceChildren(text, " ", this.guidanceLink());
  }

  guidanceLink() {
    const provider = this.provider();
    return el("a", { href: new URL(provider.page, this.base).href, text: `${provider.name}: как обратиться в поддержку` });
  }

  // --- navigation ------------------------------------------------------------------------

  stepUrl(step) {
    const url = new URL(location.href);
    url.search = "";
    url.hash = "";
    if (step !== "describe") url.searchParams.set("step", step);
    return url.pathname + url.search;
  }

  historyState(step) {
    const state = isObject(history.state) ? { ...history.state } : {};
    return { ...state, triage: { step, depth: this.depth } };
  }

  onPopState() {
    const step = new URL(location.href).searchParams.get("step") ||
      (history.state && history.state.triage && history.state.triage.step) || "describe";
    this.depth = history.state && history.state.triage ? history.state.triage.depth || 0 : 0;
    this.go(STEPS.includes(step) ? step : "describe", { history: "none" });
  }

  pushStep(step, mode) {
    if (mode === "push") {
      this.depth += 1;
      history.pushState({ triage: { step, depth: this.depth } }, "", this.stepUrl(step));
    } else if (mode === "replace") {
      history.replaceState(this.historyState(step), "", this.stepUrl(step));
    }
  }

  show(step, focus = false) {
    this.root.dataset.step = step;
    for (const [name, panel] of Object.entries(this.dom.panels)) panel.hidden = name !== step;
    if (focus) {
      const heading = this.dom.panels[step].querySelector("[data-step-heading]");
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
    }
  }

  // Show a step. opts: history ("push" | "replace" | "none"), focus, result (already computed).
  async go(step, { history: mode = "push", focus = true, result = null } = {}) {
    const token = ++this.navToken;
    if (step !== "describe" && !this.canLeaveDescribe()) step = "describe";
    this.state.step = step;
    this.save();
    this.pushStep(step, mode);
    if (step === "describe") {
      this.show("describe", focus);
      return;
    }
    this.show(step, focus);
    if (!result) {
      this.setPanelStatus(step, this.ready ? "Готовим рекомендацию…" : "Мастер загружается — рекомендация появится сама…");
      if (!this.ready) return; // onReady() comes back here
      result = await this.triage();
      if (token !== this.navToken || this.destroyed) return;
      if (!result) {
        this.setPanelStatus(step, "");
        return;
      }
    }
    this.setPanelStatus(step, "");
    if (step === "questions") {
      const ids = this.questionIds(result);
      if (!ids.length) {
        this.go("result", { history: "replace", focus, result });
        return;
      }
      this.renderQuestions(ids);
    } else {
      this.renderResult(result);
    }
  }

  back() {
    const step = this.state.step;
    const previous = step === "result" && this.state.asked.length ? "questions" : "describe";
    if (this.depth > 0) history.back();
    else this.go(previous, { history: "replace" });
  }

  // --- describe step ---------------------------------------------------------------------

  setNotice(text, tone = "", action = null) {
    const n = this.dom.notice;
    n.replaceChildren();
    n.dataset.tone = tone;
    if (text) n.append(text);
    if (action) n.append(" ", action);
  }

  updateStaticLink() {
    const provider = this.provider();
    const link = this.dom.staticLink;
    link.href = new URL(provider.page, this.base).href;
    link.textContent = `${provider.name}: как обратиться в поддержку`;
  }

  describeInput() {
    const text = this.dom.text.value;
    if (text === this.state.text) return;
    this.state.text = text;
    this.state.topic = null; // the description decides the topic again
    this.save();
    this.clearDescribeError();
    const mirror = this.fieldWraps.get("text");
    if (mirror) mirror.querySelector("[data-input]").value = text;
    this.cancel(this.suggest.timer);
    this.suggest.timer = this.later(() => this.runSuggest(), TYPING_DELAY_MS);
  }

  changeProvider(id) {
    if (!this.providers.has(id) || id === this.state.provider) return;
    this.state = { ...this.state, provider: id, topic: null, answers: {}, asked: [] };
    this.save();
    this.result = null;
    this.questionsRendered = false;
    this.resetResult();
    this.updateStaticLink();
    this.suggest.sig = "";
    if (this.ready) {
      this.warmProvider();
      this.runSuggest();
    }
  }

  async runSuggest() {
    const seq = ++this.suggest.seq;
    const text = this.state.text.trim();
    if (!this.ready || text.length < 3) {
      this.renderSuggestions([]);
      return;
    }
    let items = [];
    try {
      const response = await this.call(this.request("suggest"));
      items = response && response.ok && Array.isArray(response.result) ? response.result : [];
    } catch (error) {
      items = [];
    }
    if (seq !== this.suggest.seq || this.destroyed) return; // a newer keystroke asked again
    this.renderSuggestions(items);
  }

  renderSuggestions(items) {
    const known = new Set(this.provider().topics.map((t) => t.id));
    const list = items.filter((item) => known.has(item.id)).slice(0, 5);
    const sig = JSON.stringify([this.state.provider, list.map((i) => i.id)]);
    if (sig === this.suggest.sig) return;
    this.suggest.sig = sig;
    const ul = this.dom.suggestions;
    const hadFocus = ul.contains(document.activeElement) ? document.activeElement.dataset.topic : null;
    ul.replaceChildren(...list.map((item) => el("li", {},
      el("button", { type: "button", class: "triage__chip", "data-topic": item.id, text: item.title }))));
    for (const button of ul.querySelectorAll("button[data-topic]")) {
      this.on(button, "click", () => {
        this.state.topic = button.dataset.topic;
        this.save();
        this.next();
      });
    }
    this.dom.suggestBox.hidden = list.length === 0;
    if (hadFocus) {
      const again = ul.querySelector(`button[data-topic="${CSS.escape(hadFocus)}"]`);
      if (again) again.focus();
    }
  }

  clearDescribeError() {
    const t = this.dom.text;
    t.removeAttribute("aria-invalid");
    const msg = this.dom.form.querySelector("[data-describe-error]");
    if (msg) {
      msg.remove();
      t.setAttribute("aria-describedby", "triage-text-hint");
    }
  }

  async next() {
    this.state.text = this.dom.text.value;
    if (!this.canLeaveDescribe()) {
      this.clearDescribeError();
      const msg = el("p", { class: "triage__message triage__message--error", id: "triage-text-error",
        "data-describe-error": "", text: "Опишите проблему хотя бы в нескольких словах — или выберите тему из подсказок." });
      this.dom.text.after(msg);
      this.dom.text.setAttribute("aria-invalid", "true");
      this.dom.text.setAttribute("aria-describedby", "triage-text-hint triage-text-error");
      this.dom.text.focus();
      return;
    }
    this.save();
    if (!this.ready) {
      this.pendingNext = true;
      if (this.root.dataset.state === "error") {
        this.pendingNext = false;
        this.dom.error.hidden = false;
        this.setNotice("Мастер не запустился. Ваш текст сохранён; правила обращения есть в справке:", "error",
          this.guidanceLink());
        return;
      }
      this.setNotice("Мастер ещё загружается — продолжим автоматически, как только он будет готов.", "info");
      return;
    }
    const token = ++this.navToken;
    this.setNotice("Подбираем способ связи…", "info");
    const result = await this.triage();
    if (token !== this.navToken || this.destroyed) return;
    if (!result) return;
    this.setNotice("");
    const ids = this.questionIds(result);
    this.go(ids.length ? "questions" : "result", { history: "push", result });
  }

  // --- questions step --------------------------------------------------------------------

  // Ids of the questions to ask: the engine's open ones plus those already asked, in policy order.
  questionIds(result) {
    const open = new Set((result.questions || []).map((q) => q.id));
    const asked = new Set(this.state.asked);
    const ids = this.provider().questions.map((q) => q.id).filter((id) => open.has(id) || asked.has(id));
    const union = [...new Set([...this.state.asked, ...open])].filter((id) => ids.includes(id));
    if (!same(union, this.state.asked)) {
      this.state.asked = union;
      this.save();
    }
    return ids;
  }

  buildQuestionsShell() {
    const panel = this.dom.panels.questions;
    const status = el("p", { class: "triage__status", "data-panel-status": "", role: "status" });
    const intro = el("p", { text: "Ответы помогут выбрать способ связи. Не уверены — пропустите вопрос: " +
      "мы учтём ответ, указанный под ним." });
    const fields = el("div", { "data-questions": "" });
    const form = el("form", { class: "triage__form", method: "dialog", novalidate: true, "data-form": "questions" },
      fields,
      el("div", { class: "triage__actions" },
        el("button", { type: "button", class: "md-button", "data-action": "back", text: "Назад" }),
        el("button", { type: "submit", class: "md-button md-button--primary", "data-action": "next",
          text: "Показать рекомендацию" })));
    panel.append(status, intro, form);
    this.questionsDom = { status, fields, form };
    this.on(form, "submit", (event) => {
      event.preventDefault();
      this.submitQuestions();
    });
    this.on(form, "change", (event) => this.answerChanged(event, false));
    this.on(form.querySelector('[data-action="back"]'), "click", () => this.back());
  }

  renderQuestions(ids) {
    const provider = this.provider();
    const fieldsets = ids.map((id) => this.questionFieldset(provider.questions.find((q) => q.id === id), "q", null));
    this.questionsDom.fields.replaceChildren(...fieldsets);
    this.questionsRendered = true;
  }

  // One radio group. prefix keeps ids unique; answer = the engine's resolved answer (result step).
  questionFieldset(question, prefix, answer) {
    const chosen = this.state.answers[question.id] || (answer ? answer.value : null);
    const fieldset = el("fieldset", { class: "triage__question", "data-question": question.id },
      el("legend", { text: question.text }));
    const describedBy = [];
    if (question.help) {
      const id = `triage-${prefix}-${question.id}-help`;
      fieldset.append(el("p", { class: "triage__hint", id, text: question.help }));
      describedBy.push(id);
    }
    const options = el("div", { class: "triage__options" });
    question.options.forEach((option, index) => {
      const id = `triage-${prefix}-${question.id}-${index}`;
      const input = el("input", { type: "radio", id, name: question.id, value: option.value });
      input.checked = chosen === option.value;
      options.append(el("div", { class: "triage__option" }, input, el("label", { for: id, text: option.label })));
    });
    fieldset.append(options);
    const note = this.answerNote(question, answer);
    if (note) {
      const id = `triage-${prefix}-${question.id}-note`;
      fieldset.append(el("p", { class: "triage__hint", id, "data-answer-source": answer ? answer.source : "default",
        text: note }));
      describedBy.push(id);
    }
    if (describedBy.length) fieldset.setAttribute("aria-describedby", describedBy.join(" "));
    return fieldset;
  }

  answerNote(question, answer) {
    if (this.state.answers[question.id]) return "";
    const label = (value) => (question.options.find((o) => o.value === value) || {}).label || value;
    if (answer && answer.source === "text") return `Так мы поняли ваше описание: «${label(answer.value)}». Если это не так, выберите другой ответ.`;
    if (answer && answer.source === "explicit") return "";
    if (answer && answer.source === "default") return "Это ответ по умолчанию: выберите другой, если он не подходит.";
    return question.default ? `Если не ответить, будем считать: «${label(question.default)}».` : "";
  }

  answerChanged(event, live) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "radio" || !input.checked) return;
    const q = this.provider().questions.find((item) => item.id === input.name);
    if (!q) return;
    this.state.answers[q.id] = input.value;
    this.save();
    if (live) this.scheduleLive(0);
  }

  async submitQuestions() {
    const token = ++this.navToken;
    this.setPanelStatus("questions", "Подбираем способ связи…");
    const result = await this.triage();
    if (token !== this.navToken || this.destroyed) return;
    this.setPanelStatus("questions", "");
    if (result) this.go("result", { history: "push", result });
  }

  setPanelStatus(step, text) {
    const status = step === "questions" ? this.questionsDom.status : this.resultDom.status;
    status.textContent = text;
    status.hidden = !text;
  }

  // --- result step -----------------------------------------------------------------------

  buildResultShell() {
    const panel = this.dom.panels.result;
    const status = el("p", { class: "triage__status", "data-panel-status": "", role: "status", hidden: true });
    const callError = el("div", { class: "admonition failure", "data-call-error": "", role: "alert", hidden: true },
      el("p", { "data-call-error-text": "" }),
      el("p", {}, el("button", { type: "button", class: "md-button", "data-action": "retry-call", text: "Попробовать ещё раз" })));
    const recommendation = el("div", { class: "triage__recommendation", "data-recommendation": "", "aria-live": "polite" });

    const topicSelect = el("select", { id: "triage-topic", "data-topic-select": "" });
    const answers = el("div", { "data-answers": "" });
    const answersForm = el("form", { class: "triage__form", method: "dialog", novalidate: true, "data-form": "answers" },
      el("div", { class: "triage__field" },
        el("label", { for: "triage-topic", text: "Тема обращения" }),
        topicSelect,
        el("p", { class: "triage__hint", id: "triage-topic-note", "data-topic-note": "" })),
      answers);
    topicSelect.setAttribute("aria-describedby", "triage-topic-note");
    const answersSection = el("section", { class: "triage__box", "aria-labelledby": "triage-h-answers", "data-answers-panel": "" },
      el("h3", { id: "triage-h-answers", text: "Ваши ответы" }),
      el("p", { class: "triage__hint", text: "Измените ответ — рекомендация и черновик сразу обновятся." }),
      answersForm);

    const summarySlot = el("div", { "data-error-summary-slot": "" });
    const identify = el("fieldset", { class: "triage__group", "data-identify-group": "" },
      el("legend", { text: "Кто вы" }),
      el("p", { class: "triage__hint", "data-identify-hint": "" }),
      el("div", { "data-fields": "" }));
    const describe = el("fieldset", { class: "triage__group", "data-description-group": "" },
      el("legend", { text: "Описание" }),
      el("p", { class: "triage__hint", "data-description-hint": "" }),
      el("div", { "data-fields": "" }));
    const detailsForm = el("form", { class: "triage__form", method: "dialog", novalidate: true, "data-form": "details" },
      identify, describe);
    const detailsSection = el("section", { class: "triage__box", "aria-labelledby": "triage-h-details" },
      el("h3", { id: "triage-h-details", text: "Данные для обращения" }),
      el("p", { class: "triage__hint", text: "Заполните, что знаете: черновик обновляется, пока вы печатаете." }),
      summarySlot, detailsForm);

    const draftTitle = el("h3", { id: "triage-h-draft", "data-draft-title": "", text: "Черновик обращения" });
    const draft = el("pre", { class: "triage__draft", "data-draft": "", role: "region", "aria-labelledby": "triage-h-draft", tabindex: "0" });
    const copyStatus = el("span", { class: "triage__copy-status", role: "status", "data-copy-status": "" });
    const actions = el("div", { class: "triage__actions", "data-draft-actions": "" },
      el("button", { type: "button", class: "md-button md-button--primary", "data-action": "copy", text: "Скопировать" }),
      el("button", { type: "button", class: "md-button", "data-action": "download", text: "Скачать .txt" }),
      copyStatus);
    const draftSection = el("section", { class: "triage__box triage__box--draft", "aria-labelledby": "triage-h-draft",
      "data-draft-panel": "" },
      draftTitle,
      el("p", { class: "triage__hint", "data-draft-hint": "" }),
      el("dl", { class: "triage__form-fields", "data-form-fields": "", hidden: true }),
      draft,
      el("ul", { class: "triage__other-warnings", "data-other-warnings": "", hidden: true }),
      actions,
      el("p", { class: "triage__hint", "data-mailto-note": "", hidden: true }));

    const nav = el("div", { class: "triage__actions triage__nav" },
      el("button", { type: "button", class: "md-button", "data-action": "back", text: "Назад" }));

    const work = el("div", { class: "triage__work" }, el("div", { class: "triage__work-main" }, answersSection, detailsSection),
      el("div", { class: "triage__work-side" }, draftSection));
    const body = el("div", { "data-result-body": "", hidden: true }, callError, recommendation, work, nav);
    panel.append(status, body);

    this.resultDom = {
      status, body, callError, recommendation, topicSelect, answers, answersForm, answersSection, summarySlot,
      identify, describe, detailsForm, draftTitle, draft, copyStatus, actions, draftSection,
      draftHint: draftSection.querySelector("[data-draft-hint]"),
      formFields: draftSection.querySelector("[data-form-fields]"),
      otherWarnings: draftSection.querySelector("[data-other-warnings]"),
      mailtoNote: draftSection.querySelector("[data-mailto-note]"),
    };

    this.on(answersForm, "change", (event) => {
      if (event.target === topicSelect) {
        this.state.topic = topicSelect.value || null;
        this.save();
        this.scheduleLive(0);
      } else {
        this.answerChanged(event, true);
      }
    });
    this.on(answersForm, "submit", (event) => event.preventDefault());
    this.on(detailsForm, "submit", (event) => event.preventDefault());
    this.on(detailsForm, "input", (event) => this.detailInput(event));
    this.on(detailsForm, "focusout", (event) => this.detailTouched(event));
    this.on(callError.querySelector('[data-action="retry-call"]'), "click", () => {
      callError.hidden = true;
      if (this.root.dataset.state === "error") this.retryEngine(); // onReady() shows the result again
      else this.go("result", { history: "none", focus: false });
    });
    this.on(actions.querySelector('[data-action="copy"]'), "click", () => this.copyDraft());
    this.on(actions.querySelector('[data-action="download"]'), "click", () => this.downloadDraft());
    this.on(nav.querySelector('[data-action="back"]'), "click", () => this.back());
  }

  resetResult() {
    const r = this.resultDom;
    r.body.hidden = true;
    r.recommendation.replaceChildren();
    this.recBlocks.clear();
    for (const wrap of this.fieldWraps.values()) wrap.remove();
    this.fieldWraps.clear();
    r.answers.replaceChildren();
    r.summarySlot.replaceChildren();
    r.draft.textContent = "";
    this.sigs = {};
    this.touched.clear();
    this.questionsDom.fields.replaceChildren();
    this.questionsRendered = false;
  }

  scheduleLive(delay = TYPING_DELAY_MS) {
    clearTimeout(this.live.timer);
    this.live.timer = setTimeout(() => this.flushLive(), delay);
  }

  // One engine call at a time; while it runs, newer input only marks the state dirty and is sent
  // next. A result is shown only if nothing newer was typed meanwhile: the latest request wins.
  async flushLive() {
    if (this.destroyed || this.state.step !== "result" || !this.ready) return;
    if (this.live.inflight) {
      this.live.dirty = true;
      return;
    }
    this.live.inflight = true;
    this.live.dirty = false;
    let result = null;
    try {
      result = await this.triage();
    } finally {
      this.live.inflight = false;
    }
    if (this.destroyed) return;
    if (this.live.dirty) {
      this.flushLive();
      return;
    }
    if (result && this.state.step === "result") this.renderResult(result);
  }

  renderResult(result) {
    this.result = result;
    if (this.engine && this.engine.warmCache) this.engine.warmCache(); // faster start on the next visit
    this.resultDom.body.hidden = false;
    this.renderRecommendation(result);
    this.renderAnswers(result);
    this.renderFields(result);
    this.renderMessages(result);
    this.renderDraft(result);
  }

  // Recommendation blocks are replaced only when their content changes, so the live region
  // announces what changed rather than the whole card on every keystroke.
  renderRecommendation(result) {
    const provider = this.provider(result.provider.id);
    const channel = result.channel;
    const kinds = this.labels.kinds;
    const pageUrl = (hash = "") => new URL(provider.page + hash, this.base).href;
    const list = (tag, attr, items) => el(tag, { [attr]: "" }, items.map((item) => el("li", { text: item })));
    const section = (title, child) => el("div", { class: "triage__rec-block" }, el("h4", { text: title }), child);
    const blocks = [];

    const facts = [];
    facts.push(el("li", { "data-response-time": "" }, el("strong", { text: "Время ответа: " }),
      channel.response_time || "провайдер не указывает"));
    if (channel.availability) facts.push(el("li", {}, el("strong", { text: "Когда работает: " }), channel.availability));
    if (channel.address) facts.push(el("li", {}, el("strong", { text: "Адрес: " }), channel.address));
    else if (channel.address_note) facts.push(el("li", {}, el("strong", { text: "Адрес: " }), channel.address_note));
    facts.push(el("li", {}, el("strong", { text: "Авторизация: " }),
      channel.authorized ? "обращение авторизовано" : "обращение не авторизовано"));
    blocks.push(["channel", [channel, result.topic && result.topic.title], () =>
      el("div", { class: `triage__channel triage__channel--${channel.kind}`, "data-channel-kind": channel.kind },
        el("p", { class: "triage__eyebrow" }, `Рекомендуем · ${kinds[channel.kind] || channel.kind}`),
        el("h3", { class: "triage__channel-title", "data-channel-title": "", text: channel.title }),
        el("p", { text: channel.purpose }),
        result.topic ? el("p", { "data-topic-line": "" }, el("strong", { text: "Тема: " }), result.topic.title) : null,
        el("ul", { class: "triage__facts" }, facts))]);
    blocks.push(["reasons", result.reasons, () => section("Почему этот способ", list("ul", "data-reasons", result.reasons))]);
    if (result.prepare.length) blocks.push(["prepare", result.prepare, () => section("Что подготовить", list("ul", "data-prepare", result.prepare))]);
    if (result.how_to.length) blocks.push(["how", result.how_to, () => section("Как это сделать", list("ol", "data-how-to", result.how_to))]);
    if (result.cannot.length) blocks.push(["cannot", result.cannot, () => section("Чего не сделают через этот канал", list("ul", "data-cannot", result.cannot))]);
    if (result.next.length) blocks.push(["next", result.next, () => section("Что будет после обращения", list("ul", "data-next", result.next))]);
    blocks.push(["alternatives", result.alternatives, () => section("Другие способы",
      result.alternatives.length
        ? el("ul", { "data-alternatives": "" }, result.alternatives.map((alt) => el("li", { "data-channel-kind": alt.kind },
          el("a", { href: pageUrl(`#${alt.id}`), text: alt.title }), ` (${kinds[alt.kind] || alt.kind}) — ${alt.why}`)))
        : el("p", { "data-alternatives": "", text: "Других подходящих способов у провайдера нет." }))]);
    blocks.push(["page", [provider.id], () => el("p", { class: "triage__hint" },
      "Все правила провайдера: ", el("a", { href: pageUrl(), text: `${provider.name}: как обратиться в поддержку` }), ".")]);

    const box = this.resultDom.recommendation;
    const keep = new Set();
    let previous = null;
    for (const [key, data, build] of blocks) {
      keep.add(key);
      const sig = JSON.stringify(data);
      let entry = this.recBlocks.get(key);
      if (!entry || entry.sig !== sig) {
        const node = build();
        if (entry) entry.node.replaceWith(node);
        entry = { sig, node };
        this.recBlocks.set(key, entry);
      }
      const wanted = previous ? previous.nextSibling : box.firstChild;
      if (wanted !== entry.node) {
        if (previous) previous.after(entry.node);
        else box.prepend(entry.node);
      }
      previous = entry.node;
    }
    for (const [key, entry] of this.recBlocks) {
      if (!keep.has(key)) {
        entry.node.remove();
        this.recBlocks.delete(key);
      }
    }
  }

  renderAnswers(result) {
    const r = this.resultDom;
    const provider = this.provider(result.provider.id);
    // Topic select: every topic of the provider; "" lets the description decide.
    const topicsSig = JSON.stringify(provider.topics);
    if (this.sigs.topics !== topicsSig) {
      this.sigs.topics = topicsSig;
      r.topicSelect.replaceChildren(el("option", { value: "", text: "Определить по описанию" }),
        ...provider.topics.map((t) => el("option", { value: t.id, text: t.title })));
    }
    r.topicSelect.value = this.state.topic || "";
    const note = r.answersForm.querySelector("[data-topic-note]");
    note.textContent = this.state.topic ? "Тему вы выбрали сами."
      : result.topic ? `По описанию это тема «${result.topic.title}». Если не подходит, выберите другую.`
        : "Тему не удалось определить по описанию: выберите подходящую.";

    // Questions that matter: still open, or answered by the customer or by their text.
    const open = new Set(result.questions.map((q) => q.id));
    const ids = provider.questions.map((q) => q.id).filter((id) => open.has(id) || this.state.answers[id] ||
      (result.answers[id] && ["explicit", "text"].includes(result.answers[id].source)));
    const sig = JSON.stringify([ids, ids.map((id) => [result.answers[id], this.state.answers[id] || null])]);
    if (sig === this.sigs.answers) return;
    this.sigs.answers = sig;
    const active = document.activeElement;
    const focus = r.answers.contains(active) ? [active.name, active.value] : null;
    r.answers.replaceChildren(...ids.map((id) => this.questionFieldset(provider.questions.find((q) => q.id === id), "a",
      result.answers[id] || null)));
    if (focus) {
      const again = [...r.answersForm.elements].find((e) => e.name === focus[0] && e.value === focus[1]);
      if (again) again.focus();
    }
  }

  // Which detail fields to show: the identification the channel asks for, the guided description
  // fields of the request type, and any field that already holds something (nothing is lost).
  fieldPlan(result) {
    const draft = result.draft;
    const kind = draft.kind;
    const filled = (name) => Boolean((this.state.details[name] || "").trim());
    const identifiers = Object.keys(this.labels.identifiers);
    const askFor = kind === "self_service" ? [] : (draft.identify && draft.identify.fields) || [];
    const ident = [...askFor, ...identifiers.filter((name) => !askFor.includes(name) && filled(name))];
    const rtype = result.topic ? result.topic.type : "question";
    const guided = kind === "self_service" ? [] : Object.keys(this.labels.description[rtype] || {});
    const written = kind === "ticket" || kind === "email";
    const describe = [];
    if (written || filled("subject")) describe.push("subject");
    describe.push("text");
    describe.push(...guided);
    for (const fields of Object.values(this.labels.description)) {
      for (const name of Object.keys(fields)) if (!describe.includes(name) && filled(name)) describe.push(name);
    }
    if (written || filled("reply_to")) describe.push("reply_to");
    return { ident, askFor, need: (draft.identify && draft.identify.need) || "one", describe, kind };
  }

  label(name) {
    const l = this.labels;
    if (l.identifiers[name]) return l.identifiers[name];
    for (const fields of Object.values(l.description)) if (fields[name]) return fields[name];
    return l.other[name] || name;
  }

  buildField(name) {
    const id = `triage-field-${name}`;
    const multiline = MULTILINE.has(name);
    const attrs = { id, name, "data-input": "", autocomplete: AUTOCOMPLETE[name] || "off",
      placeholder: PLACEHOLDERS[name] || null };
    if (this.labels.identifiers[name] || name === "reply_to") attrs.spellcheck = "false";
    const input = multiline ? el("textarea", { ...attrs, rows: name === "text" ? 4 : 3 }) : el("input", { ...attrs, type: "text" });
    input.value = name === "text" ? this.state.text : this.state.details[name] || "";
    if (input.value.trim()) this.touched.add(name);
    const wrap = el("div", { class: "triage__field", "data-field": name },
      el("label", { for: id, text: this.label(name) }), input, el("div", { class: "triage__messages", "data-messages": "" }));
    return wrap;
  }

  placeFields(container, names) {
    let previous = null;
    for (const name of names) {
      let wrap = this.fieldWraps.get(name);
      if (!wrap) {
        wrap = this.buildField(name);
        this.fieldWraps.set(name, wrap);
      }
      const wanted = previous ? previous.nextSibling : container.firstChild;
      if (wanted !== wrap || wrap.parentNode !== container) {
        const active = wrap.contains(document.activeElement) ? document.activeElement : null;
        if (previous) previous.after(wrap);
        else container.prepend(wrap);
        if (active) active.focus();
      }
      previous = wrap;
    }
  }

  renderFields(result) {
    const r = this.resultDom;
    const plan = this.fieldPlan(result);
    const wanted = new Set([...plan.ident, ...plan.describe]);
    for (const [name, wrap] of this.fieldWraps) {
      if (!wanted.has(name) && !wrap.contains(document.activeElement)) { // never pull a field from under the cursor
        wrap.remove();
        this.fieldWraps.delete(name);
      }
    }
    this.placeFields(r.identify.querySelector("[data-fields]"), plan.ident);
    this.placeFields(r.describe.querySelector("[data-fields]"), plan.describe);
    r.identify.hidden = plan.ident.length === 0 && plan.kind !== "ticket";
    const provider = this.provider(result.provider.id);
    const hint = r.identify.querySelector("[data-identify-hint]");
    if (plan.askFor.length > 1 && plan.need === "one") {
      hint.textContent = "Достаточно одного из полей — по нему сотрудник найдёт ваш аккаунт.";
    } else if (plan.askFor.length) {
      hint.textContent = "Укажите эти данные — по ним сотрудник найдёт ваш аккаунт.";
    } else if (plan.kind === "ticket") {
      hint.textContent = `Заявка из раздела поддержки (${provider.clientArea}) уже привязана к аккаунту: ` +
        "представляться отдельно не нужно.";
    } else {
      hint.textContent = "";
    }
    for (const name of plan.askFor) {
      const input = this.fieldWraps.get(name).querySelector("[data-input]");
      if (plan.need === "all") input.setAttribute("aria-required", "true");
      else input.removeAttribute("aria-required");
    }
    const dhint = r.describe.querySelector("[data-description-hint]");
    dhint.textContent = plan.kind === "self_service"
      ? "Опишите, что хотите настроить: текст попадёт в памятку."
      : result.topic && result.topic.type === "problem"
        ? "Чем точнее шаги, текст ошибки и время с часовым поясом, тем быстрее решат проблему."
        : "Пустые поля в черновик не попадают.";
    const subject = this.fieldWraps.get("subject");
    if (subject) subject.querySelector("[data-input]").setAttribute("placeholder", result.draft.subject || "");
  }

  // Validation messages (field_errors, once the field was left) and engine warnings, next to fields.
  renderMessages(result) {
    const draft = result.draft;
    const errors = draft.field_errors || {};
    const byField = new Map();
    const orphans = [];
    for (const warning of draft.warnings || []) {
      if (warning.code === "invalid_field") continue; // shown as the field's validation message
      if (this.fieldWraps.has(warning.field)) {
        if (!byField.has(warning.field)) byField.set(warning.field, []);
        byField.get(warning.field).push(warning);
      } else {
        orphans.push(warning);
      }
    }
    const warningNode = (w, id) => el("p", {
      class: `triage__message triage__message--${w.severity === "error" ? "error" : "warning"}`,
      "data-warning-for": w.field, "data-severity": w.severity, "data-code": w.code, id, text: w.message });

    for (const [name, wrap] of this.fieldWraps) {
      const input = wrap.querySelector("[data-input]");
      const error = this.touched.has(name) ? errors[name] : null;
      const warnings = byField.get(name) || [];
      const sig = JSON.stringify([error, warnings]);
      if (this.messageSigs.get(wrap) === sig) continue;
      this.messageSigs.set(wrap, sig);
      const box = wrap.querySelector("[data-messages]");
      const ids = [];
      const nodes = [];
      if (error) {
        ids.push(`triage-error-${name}`);
        nodes.push(el("p", { class: "triage__message triage__message--error", id: `triage-error-${name}`,
          "data-field-error": name, text: error }));
      }
      warnings.forEach((w, i) => {
        ids.push(`triage-warning-${name}-${i}`);
        nodes.push(warningNode(w, `triage-warning-${name}-${i}`));
      });
      box.replaceChildren(...nodes);
      if (error || warnings.some((w) => w.severity === "error")) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
      else input.removeAttribute("aria-describedby");
    }

    const other = this.resultDom.otherWarnings;
    const otherSig = JSON.stringify(orphans);
    if (this.sigs.orphans !== otherSig) {
      this.sigs.orphans = otherSig;
      other.replaceChildren(...orphans.map((w, i) => el("li", {}, warningNode(w, `triage-warning-other-${i}`))));
      other.hidden = orphans.length === 0;
    }

    // Error summary: invalid values the customer already left, with links to the fields.
    const shown = Object.entries(errors).filter(([name]) => this.touched.has(name) && this.fieldWraps.has(name));
    const summarySig = JSON.stringify(shown);
    if (this.sigs.summary === summarySig) return;
    this.sigs.summary = summarySig;
    const slot = this.resultDom.summarySlot;
    if (!shown.length) {
      slot.replaceChildren();
      return;
    }
    const items = shown.map(([name, message]) => {
      const link = el("a", { href: `#triage-field-${name}`, text: `${this.label(name)}: ${message}` });
      this.on(link, "click", (event) => {
        event.preventDefault();
        event.stopPropagation(); // Material's instant navigation must not treat it as a page link
        const input = this.fieldWraps.get(name) && this.fieldWraps.get(name).querySelector("[data-input]");
        if (input) input.focus();
      });
      return el("li", {}, link);
    });
    slot.replaceChildren(el("div", { class: "admonition failure triage__summary", "data-error-summary": "", role: "alert" },
      el("p", { class: "admonition-title", text: shown.length === 1 ? "Проверьте поле" : `Проверьте поля (${shown.length})` }),
      el("ul", {}, items)));
  }

  renderDraft(result) {
    const r = this.resultDom;
    const draft = result.draft;
    const provider = this.provider(result.provider.id);
    r.draftTitle.textContent = DRAFT_TITLES[draft.kind] || "Черновик обращения";
    r.draftHint.textContent = (DRAFT_HINTS[draft.kind] || (() => ""))(provider.clientArea);
    if (r.draft.textContent !== draft.text) r.draft.textContent = draft.text;

    const formSig = JSON.stringify([draft.kind, draft.subject, draft.fields, draft.field_titles]);
    if (this.sigs.form !== formSig) {
      this.sigs.form = formSig;
      const rows = [];
      if (draft.kind === "ticket") {
        if (draft.subject) rows.push(["Тема", draft.subject]);
        if (draft.fields.department) rows.push(["Отдел", draft.field_titles.department || draft.fields.department]);
        if (draft.fields.priority) rows.push(["Приоритет", draft.field_titles.priority || draft.fields.priority]);
        if (draft.fields.service) rows.push(["Услуга", draft.fields.service]);
      }
      r.formFields.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
      r.formFields.hidden = rows.length === 0;
    }

    // mailto: only for e-mail channels, only a mailto: URL.
    let mail = r.actions.querySelector("a[data-mailto]");
    const wantsMail = draft.kind === "email" && typeof draft.mailto === "string" && draft.mailto.startsWith("mailto:");
    if (wantsMail) {
      if (!mail) {
        mail = el("a", { class: "md-button", "data-mailto": "", text: "Открыть в почтовой программе" });
        this.on(mail, "click", () => {
          // A cut body says "paste it from the clipboard": make that true.
          if (this.result && this.result.draft.mailto_truncated) this.copyDraft();
        });
        r.actions.querySelector('[data-action="download"]').after(mail);
      }
      if (mail.getAttribute("href") !== draft.mailto) mail.setAttribute("href", draft.mailto);
    } else if (mail) {
      mail.remove();
    }
    const notes = [];
    if (wantsMail && draft.mailto_truncated) notes.push("Текст не поместился в ссылку целиком — вставьте его из буфера обмена: " +
      "при нажатии на кнопку мы скопируем полный текст.");
    if (wantsMail && !result.channel.address) notes.push("Адрес поддержки провайдер на своей странице не указывает — впишите получателя сами.");
    r.mailtoNote.textContent = notes.join(" ");
    r.mailtoNote.hidden = notes.length === 0;
  }

  detailInput(event) {
    const input = event.target;
    if (!input.matches || !input.matches("[data-input]")) return;
    if (input.name === "text") {
      this.state.text = input.value;
      this.dom.text.value = input.value;
    } else {
      this.state.details[input.name] = input.value;
    }
    this.save();
    this.scheduleLive(0);
  }

  detailTouched(event) {
    const input = event.target;
    if (!input.matches || !input.matches("[data-input]")) return;
    if (!input.value.trim() || this.touched.has(input.name)) return;
    this.touched.add(input.name);
    if (this.result) this.renderMessages(this.result);
    this.scheduleLive(0);
  }

  // --- actions -----------------------------------------------------------------------------

  async copyDraft() {
    const text = this.result ? this.result.draft.text : "";
    if (!text) return;
    const ok = await copyText(text);
    const status = this.resultDom.copyStatus;
    status.textContent = ok ? "Скопировано" : "Не получилось скопировать: выделите текст черновика и нажмите Ctrl+C.";
    this.cancel(this.copyTimer);
    this.copyTimer = this.later(() => {
      status.textContent = "";
    }, 6000);
  }

  downloadDraft() {
    if (!this.result) return;
    const result = this.result;
    const draft = result.draft;
    const provider = this.provider(result.provider.id);
    const title = draft.kind === "ticket" || draft.kind === "email" ? null : DRAFT_TITLES[draft.kind];
    const name = fileName([provider.name, title, draft.subject || (result.topic && result.topic.title)]);
    const url = URL.createObjectURL(new Blob([draft.text], { type: "text/plain;charset=utf-8" }));
    const link = el("a", { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  restart() {
    const previous = JSON.parse(JSON.stringify(this.state));
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch (error) {
      // nothing stored
    }
    this.navToken += 1;
    this.pendingNext = false;
    this.state = this.blankState();
    this.result = null;
    this.resetResult();
    this.clearDescribeError();
    this.dom.provider.value = this.state.provider;
    this.dom.text.value = "";
    this.updateStaticLink();
    this.renderSuggestions([]);
    this.go("describe", { history: "replace", focus: true });
    const hasData = previous.text.trim() || Object.values(previous.details).some((v) => v.trim());
    if (hasData) {
      const undo = el("button", { type: "button", class: "md-button triage__inline-button", "data-action": "undo",
        text: "Вернуть" });
      this.on(undo, "click", () => this.undoRestart(previous), { once: true });
      this.setNotice("Всё очищено.", "info", undo);
    } else {
      this.setNotice("");
    }
  }

  undoRestart(previous) {
    this.state = this.cleanState(previous);
    this.save();
    this.dom.provider.value = this.state.provider;
    this.dom.text.value = this.state.text;
    this.updateStaticLink();
    this.setNotice("Данные восстановлены.", "info");
    this.suggest.sig = "";
    if (this.ready) this.runSuggest();
    this.dom.text.focus();
  }
}

export function mount(root) {
  const wizard = new Wizard(root);
  wizard.start();
  return () => wizard.destroy();
}
