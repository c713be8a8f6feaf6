// Step 3, "result": the recommendation, the answers (editable), the detail fields and the draft,
// all updated live while the customer changes anything.
import { el } from "./dom.js";
import { DraftPanel } from "./draft.js";
import { FieldsPanel } from "./fields.js";
import { questionFieldset } from "./questions.js";

/** @typedef {import("./protocol.js").TriageResult} TriageResult */
/** @typedef {import("./state.js").Question} Question */

const TYPING_DELAY_MS = 150;

/** The static part of the step: built once, filled by render(). */
function buildShell() {
  const status = el("p", { class: "triage__status", "data-panel-status": "", role: "status", hidden: true });
  const callError = el("div", { class: "admonition failure", "data-call-error": "", role: "alert", hidden: true },
    el("p", { "data-call-error-text": "" }),
    el("p", {}, el("button", { type: "button", class: "md-button", "data-action": "retry-call", text: "Попробовать ещё раз" })));
  const recommendation = el("div", { class: "triage__recommendation", "data-recommendation": "", "aria-live": "polite" });

  const topicSelect = /** @type {HTMLSelectElement} */ (el("select", { id: "triage-topic", "data-topic-select": "" }));
  const answers = el("div", { "data-answers": "" });
  const answersForm = /** @type {HTMLFormElement} */ (el("form",
    { class: "triage__form", method: "dialog", novalidate: true, "data-form": "answers" },
    el("div", { class: "triage__field" },
      el("label", { for: "triage-topic", text: "Тема обращения" }),
      topicSelect,
      el("p", { class: "triage__hint", id: "triage-topic-note", "data-topic-note": "" })),
    answers));
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

  const otherWarnings = el("ul", { class: "triage__other-warnings", "data-other-warnings": "", hidden: true });
  const draftSection = el("section", { class: "triage__box triage__box--draft", "aria-labelledby": "triage-h-draft",
    "data-draft-panel": "" },
    el("h3", { id: "triage-h-draft", "data-draft-title": "", text: "Черновик обращения" }),
    el("p", { class: "triage__hint", "data-draft-hint": "" }),
    el("dl", { class: "triage__form-fields", "data-form-fields": "", hidden: true }),
    el("pre", { class: "triage__draft", "data-draft": "", role: "region", "aria-labelledby": "triage-h-draft", tabindex: "0" }),
    otherWarnings,
    el("div", { class: "triage__actions", "data-draft-actions": "" },
      el("button", { type: "button", class: "md-button md-button--primary", "data-action": "copy", text: "Скопировать" }),
      el("button", { type: "button", class: "md-button", "data-action": "download", text: "Скачать .txt" }),
      el("span", { class: "triage__copy-status", role: "status", "data-copy-status": "" })),
    el("p", { class: "triage__hint", "data-mailto-note": "", hidden: true }));

  const nav = el("div", { class: "triage__actions triage__nav" },
    el("button", { type: "button", class: "md-button", "data-action": "back", text: "Назад" }));

  const work = el("div", { class: "triage__work" }, el("div", { class: "triage__work-main" }, answersSection, detailsSection),
    el("div", { class: "triage__work-side" }, draftSection));
  const body = el("div", { "data-result-body": "", hidden: true }, callError, recommendation, work, nav);
  return { status, body, callError, recommendation, topicSelect, answers, answersForm, summarySlot, identify, describe,
    detailsForm, otherWarnings, draftSection, nav };
}

/**
 * Everything the step shows except what typing in a detail field changes (the draft's text,
 * mailto link and messages).
 * @param {TriageResult} result
 */
function frameSig(result) {
  return JSON.stringify({ ...result, draft: { ...result.draft, text: "", mailto: "", mailto_truncated: false,
    field_errors: null, warnings: null } });
}

export class ResultStep {
  /** @param {import("./ui.js").Wizard} w */
  constructor(w) {
    this.w = w;
    const dom = buildShell();
    w.dom.panels.result.append(dom.status, dom.body);
    this.dom = dom;
    /** @type {TriageResult | null} the last triage result on screen */
    this.shown = null;
    this.live = { timer: 0, inflight: false, dirty: false };
    /** @type {Map<string, {sig: string, node: Element}>} recommendation block key -> content */
    this.recBlocks = new Map();
    this.sigs = { topics: "", answers: "" };
    this.frameSig = "";
    this.fields = new FieldsPanel(w, dom);
    this.draft = new DraftPanel(w, dom.draftSection);

    w.on(dom.answersForm, "change", (event) => {
      if (event.target === dom.topicSelect) {
        w.state.topic = dom.topicSelect.value || null;
        w.save();
        this.scheduleLive(0);
      } else {
        w.questionsStep.answerChanged(event, true);
      }
    });
    w.on(dom.answersForm, "submit", (event) => event.preventDefault());
    w.on(/** @type {Element} */ (dom.callError.querySelector('[data-action="retry-call"]')), "click", () => {
      dom.callError.hidden = true;
      if (w.root.dataset.state === "error") w.retryEngine(); // onReady() shows the result again
      else w.go("result", { history: "none", focus: false });
    });
    w.on(/** @type {Element} */ (dom.nav.querySelector('[data-action="back"]')), "click", () => w.back());
  }

  destroy() {
    clearTimeout(this.live.timer);
  }

  reset() {
    const r = this.dom;
    this.shown = null;
    r.body.hidden = true;
    r.recommendation.replaceChildren();
    this.recBlocks.clear();
    this.fields.reset();
    r.answers.replaceChildren();
    this.draft.reset();
    this.sigs = { topics: "", answers: "" };
  }

  /** @param {string} text */
  setStatus(text) {
    this.dom.status.textContent = text;
    this.dom.status.hidden = !text;
  }

  /**
   * The description typed in step 1 also shows in this step's "text" field.
   * @param {string} text
   */
  mirrorText(text) {
    const field = this.fields.field("text");
    if (field) field.value = text;
  }

  scheduleLive(delay = TYPING_DELAY_MS) {
    clearTimeout(this.live.timer);
    this.live.timer = setTimeout(() => this.flushLive(), delay);
  }

  // One engine call at a time; while it runs, newer input only marks the state dirty and is sent
  // next. A result is shown only if nothing newer was typed meanwhile: the latest request wins.
  async flushLive() {
    const w = this.w;
    if (w.destroyed || w.state.step !== "result" || !w.ready) return;
    if (this.live.inflight) {
      this.live.dirty = true;
      return;
    }
    this.live.inflight = true;
    this.live.dirty = false;
    let result = null;
    try {
      result = await w.triage();
    } finally {
      this.live.inflight = false;
    }
    if (w.destroyed) return;
    if (this.live.dirty) {
      this.flushLive();
      return;
    }
    if (result && w.state.step === "result") this.render(result);
  }

  /** @param {TriageResult} result */
  render(result) {
    // Keystrokes in a detail field change only the draft (its text, mailto and messages): then
    // only the draft panel and the field messages are touched, within a frame (bench: step_p95_ms).
    const frame = frameSig(result);
    const draftOnly = this.shown !== null && !this.dom.body.hidden && frame === this.frameSig;
    this.shown = result;
    this.frameSig = frame;
    if (draftOnly) {
      this.fields.renderMessages(result);
      this.draft.render(result);
      return;
    }
    this.w.client.warmCache(); // faster start on the next visit
    this.dom.body.hidden = false;
    this.renderRecommendation(result);
    this.renderAnswers(result);
    this.fields.render(result);
    this.fields.renderMessages(result);
    this.draft.render(result);
  }

  // Recommendation blocks are replaced only when their content changes, so the live region
  // announces what changed rather than the whole card on every keystroke.
  /** @param {TriageResult} result */
  renderRecommendation(result) {
    const w = this.w;
    const provider = w.provider(result.provider.id);
    const channel = result.channel;
    const kinds = w.labels.kinds;
    const pageUrl = (hash = "") => new URL(provider.page + hash, w.base).href;
    /**
     * @param {string} tag
     * @param {string} attr
     * @param {string[]} items
     */
    const list = (tag, attr, items) => el(tag, { [attr]: "" }, items.map((item) => el("li", { text: item })));
    /**
     * @param {string} title
     * @param {Node} child
     */
    const section = (title, child) => el("div", { class: "triage__rec-block" }, el("h4", { text: title }), child);
    /** @type {[string, unknown, () => Element][]} */
    const blocks = [];

    /** @type {HTMLElement[]} */
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
    if (result.prepare.length) {
      blocks.push(["prepare", result.prepare, () => section("Что подготовить", list("ul", "data-prepare", result.prepare))]);
    }
    if (result.how_to.length) {
      blocks.push(["how", result.how_to, () => section("Как это сделать", list("ol", "data-how-to", result.how_to))]);
    }
    if (result.cannot.length) {
      blocks.push(["cannot", result.cannot, () =>
        section("Чего не сделают через этот канал", list("ul", "data-cannot", result.cannot))]);
    }
    if (result.next.length) {
      blocks.push(["next", result.next, () => section("Что будет после обращения", list("ul", "data-next", result.next))]);
    }
    blocks.push(["alternatives", result.alternatives, () => section("Другие способы",
      result.alternatives.length
        ? el("ul", { "data-alternatives": "" }, result.alternatives.map((alt) => el("li", { "data-channel-kind": alt.kind },
          el("a", { href: pageUrl(`#${alt.id}`), text: alt.title }), ` (${kinds[alt.kind] || alt.kind}) — ${alt.why}`)))
        : el("p", { "data-alternatives": "", text: "Других подходящих способов у провайдера нет." }))]);
    blocks.push(["page", [provider.id], () => el("p", { class: "triage__hint" },
      "Все правила провайдера: ", el("a", { href: pageUrl(), text: `${provider.name}: как обратиться в поддержку` }), ".")]);

    const box = this.dom.recommendation;
    const keep = new Set();
    /** @type {Element | null} */
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
      /** @type {ChildNode | null} */
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

  /** @param {TriageResult} result */
  renderAnswers(result) {
    const w = this.w;
    const r = this.dom;
    const provider = w.provider(result.provider.id);
    // Topic select: every topic of the provider; "" lets the description decide.
    const topicsSig = JSON.stringify(provider.topics);
    if (this.sigs.topics !== topicsSig) {
      this.sigs.topics = topicsSig;
      r.topicSelect.replaceChildren(el("option", { value: "", text: "Определить по описанию" }),
        ...provider.topics.map((t) => el("option", { value: t.id, text: t.title })));
    }
    r.topicSelect.value = w.state.topic || "";
    const note = /** @type {HTMLElement} */ (r.answersForm.querySelector("[data-topic-note]"));
    note.textContent = w.state.topic ? "Тему вы выбрали сами."
      : result.topic ? `По описанию это тема «${result.topic.title}». Если не подходит, выберите другую.`
        : "Тему не удалось определить по описанию: выберите подходящую.";

    // Questions that matter: still open, or answered by the customer or by their text.
    const open = new Set(result.questions.map((q) => q.id));
    const ids = provider.questions.map((q) => q.id).filter((id) => open.has(id) || w.state.answers[id] ||
      (result.answers[id] && ["explicit", "text"].includes(result.answers[id].source)));
    const sig = JSON.stringify([ids, ids.map((id) => [result.answers[id], w.state.answers[id] || null])]);
    if (sig === this.sigs.answers) return;
    this.sigs.answers = sig;
    const active = /** @type {HTMLInputElement | null} */ (document.activeElement);
    const focus = active && r.answers.contains(active) ? [active.name, active.value] : null;
    r.answers.replaceChildren(...ids.map((id) => questionFieldset(
      /** @type {Question} */ (provider.questions.find((q) => q.id === id)), "a", result.answers[id] || null,
      w.state.answers[id])));
    if (focus) {
      const again = /** @type {HTMLInputElement[]} */ ([...r.answersForm.elements])
        .find((e) => e.name === focus[0] && e.value === focus[1]);
      if (again) again.focus();
    }
  }
}
