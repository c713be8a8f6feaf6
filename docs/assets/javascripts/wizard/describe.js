// Step 1, "describe": the provider and the description (plain HTML of the page, works before the
// engine loads), topic suggestions while typing, "Дальше", and "Начать заново" (with undo).
import { el, enforceLimit, limitInsertion } from "./dom.js";
import { TEXT_LIMIT, cleanText } from "./clean.js";
import { blankState, cleanState, clearStored } from "./state.js";

const TYPING_DELAY_MS = 150;

export class DescribeStep {
  /** @param {import("./ui.js").Wizard} w */
  constructor(w) {
    this.w = w;
    this.suggest = { timer: 0, seq: 0, sig: "" };
  }

  bind() {
    const w = this.w;
    const d = w.dom;
    d.text.maxLength = TEXT_LIMIT;
    enforceLimit(d.text);
    w.on(d.form, "submit", (event) => {
      event.preventDefault();
      this.next();
    });
    w.on(d.provider, "change", () => this.changeProvider(d.provider.value));
    w.on(d.text, "beforeinput", (event) => limitInsertion(/** @type {InputEvent} */ (event)));
    w.on(d.text, "input", () => this.input());
  }

  destroy() {
    clearTimeout(this.suggest.timer);
  }

  /**
   * The line under the form: progress, errors, "all cleared" with an undo button.
   * @param {string} text
   * @param {string} [tone]  "" | "info" | "error"
   * @param {Node | null} [action]
   */
  setNotice(text, tone = "", action = null) {
    const n = this.w.dom.notice;
    n.replaceChildren();
    n.dataset.tone = tone;
    if (text) n.append(text);
    if (action) n.append(" ", action);
  }

  input() {
    const w = this.w;
    enforceLimit(w.dom.text);
    const text = cleanText(w.dom.text.value);
    if (text === w.state.text) return;
    w.state.text = text;
    w.state.topic = null; // the description decides the topic again
    w.saveSoon();
    this.clearError();
    w.resultStep.mirrorText(text);
    w.cancel(this.suggest.timer);
    this.suggest.timer = w.later(() => this.runSuggest(), TYPING_DELAY_MS);
  }

  /** @param {string} id */
  changeProvider(id) {
    const w = this.w;
    if ((id && !w.catalog.byId.has(id)) || id === w.state.provider) return;
    w.state = { ...w.state, provider: id, topic: null, answers: {}, asked: [] };
    w.save();
    w.resetResult();
    w.updateStaticLink();
    this.clearError();
    this.suggest.sig = "";
    if (w.ready) {
      w.warmProvider();
      this.runSuggest();
    }
  }

  async runSuggest() {
    const w = this.w;
    const seq = ++this.suggest.seq;
    const text = w.state.text.trim();
    if (!w.ready || !w.state.provider || text.length < 3) {
      this.renderSuggestions([]);
      return;
    }
    /** @type {import("./protocol.js").Suggestion[]} */
    let items = [];
    try {
      const response = await w.client.call(w.request("suggest"));
      items = response && response.ok && Array.isArray(response.result) ? response.result : [];
    } catch {
      items = [];
    }
    if (seq !== this.suggest.seq || w.destroyed) return; // a newer keystroke asked again
    this.renderSuggestions(items);
  }

  /** @param {import("./protocol.js").Suggestion[]} items */
  renderSuggestions(items) {
    const w = this.w;
    const known = new Set(w.provider().topics.map((t) => t.id));
    const list = items.filter((item) => known.has(item.id)).slice(0, 5);
    const sig = JSON.stringify([w.state.provider, list.map((i) => i.id)]);
    if (sig === this.suggest.sig) return;
    this.suggest.sig = sig;
    const ul = w.dom.suggestions;
    const active = /** @type {HTMLElement | null} */ (document.activeElement);
    const hadFocus = active && ul.contains(active) ? active.dataset.topic : null;
    ul.replaceChildren(...list.map((item) => el("li", {},
      el("button", { type: "button", class: "triage__chip", "data-topic": item.id, text: item.title }))));
    for (const button of ul.querySelectorAll("button[data-topic]")) {
      w.on(button, "click", () => {
        w.state.topic = /** @type {HTMLElement} */ (button).dataset.topic || null;
        w.save();
        this.next();
      });
    }
    // Deflection: the matching section of the provider's help page, when the engine names one.
    const help = list.find((item) => typeof item.help_url === "string" && item.help_url && !/^[a-z]+:/i.test(item.help_url));
    const helpBox = /** @type {HTMLElement} */ (w.dom.suggestBox.querySelector("[data-help-link]"));
    helpBox.replaceChildren(...(help ? ["Ответ может быть в справке: ",
      el("a", { href: new URL(/** @type {string} */ (help.help_url), w.base).href, "data-help-topic": help.id,
        text: help.help_title || help.title })] : []));
    helpBox.hidden = !help;
    w.dom.suggestBox.hidden = list.length === 0;
    if (hadFocus) {
      const again = /** @type {HTMLElement | null} */ (ul.querySelector(`button[data-topic="${CSS.escape(hadFocus)}"]`));
      if (again) again.focus();
    }
  }

  clearError() {
    const w = this.w;
    const select = w.dom.provider;
    const providerMsg = w.dom.form.querySelector("[data-provider-error]");
    if (providerMsg && w.state.provider) {
      providerMsg.remove();
      select.removeAttribute("aria-invalid");
      select.removeAttribute("aria-describedby");
    }
    const t = w.dom.text;
    t.removeAttribute("aria-invalid");
    const msg = w.dom.form.querySelector("[data-describe-error]");
    if (msg) {
      msg.remove();
      t.setAttribute("aria-describedby", "triage-text-hint");
    }
  }

  async next() {
    const w = this.w;
    const d = w.dom;
    w.state.text = cleanText(d.text.value);
    if (!w.state.provider) {
      if (!d.form.querySelector("[data-provider-error]")) {
        d.provider.after(el("p", { class: "triage__message triage__message--error", id: "triage-provider-error",
          "data-provider-error": "", text: "Выберите провайдера: у каждого свои правила обращения в поддержку." }));
      }
      d.provider.setAttribute("aria-invalid", "true");
      d.provider.setAttribute("aria-describedby", "triage-provider-error");
      d.provider.focus();
      return;
    }
    if (!w.canLeaveDescribe()) {
      this.clearError();
      const msg = el("p", { class: "triage__message triage__message--error", id: "triage-text-error",
        "data-describe-error": "", text: "Опишите проблему хотя бы в нескольких словах — или выберите тему из подсказок." });
      d.text.after(msg);
      d.text.setAttribute("aria-invalid", "true");
      d.text.setAttribute("aria-describedby", "triage-text-hint triage-text-error");
      d.text.focus();
      return;
    }
    w.save();
    if (!w.ready) {
      w.pendingNext = true;
      if (w.root.dataset.state === "error") {
        w.pendingNext = false;
        d.error.hidden = false;
        this.setNotice("Мастер не запустился. Ваш текст сохранён; правила обращения есть в справке:", "error",
          w.guidanceLink());
        return;
      }
      this.setNotice("Мастер ещё загружается — продолжим автоматически, как только он будет готов.", "info");
      return;
    }
    const token = ++w.navToken;
    this.setNotice("Подбираем способ связи…", "info");
    const result = await w.triage();
    if (token !== w.navToken || w.destroyed) return;
    if (!result) return;
    this.setNotice("");
    w.go(w.questionsStep.wanted(result) ? "questions" : "result", { history: "push", result });
  }

  /** "Начать заново": everything is cleared (storage too); the notice offers to undo it. */
  restart() {
    const w = this.w;
    const d = w.dom;
    const previous = JSON.parse(JSON.stringify(w.state));
    clearStored();
    w.navToken += 1;
    w.pendingNext = false;
    w.state = blankState(previous.provider); // the provider stays chosen; the situation is cleared
    w.resetResult();
    this.clearError();
    d.provider.value = w.state.provider;
    d.text.value = "";
    enforceLimit(d.text);
    w.updateStaticLink();
    this.renderSuggestions([]);
    w.go("describe", { history: "replace", focus: true });
    const hasData = previous.text.trim() || Object.values(previous.details).some((v) => String(v).trim());
    if (hasData) {
      const undo = el("button", { type: "button", class: "md-button triage__inline-button", "data-action": "undo",
        text: "Вернуть" });
      w.on(undo, "click", () => this.undoRestart(previous), { once: true });
      this.setNotice("Всё очищено.", "info", undo);
    } else {
      this.setNotice("");
    }
  }

  /** @param {unknown} previous  the state before restart() (kept in memory only) */
  undoRestart(previous) {
    const w = this.w;
    const d = w.dom;
    w.state = cleanState(w.catalog, previous);
    w.save();
    d.provider.value = w.state.provider;
    d.text.value = w.state.text;
    enforceLimit(d.text);
    w.updateStaticLink();
    this.setNotice("Данные восстановлены.", "info");
    this.suggest.sig = "";
    if (w.ready) this.runSuggest();
    d.text.focus();
  }
}
