// Step 3, "result": the recommendation and the draft with its actions first, then the answers
// (editable), the detail fields in «Добавить подробности», and the rest of the recommendation; all
// updated live while the customer changes anything.
import { el } from "./dom.js";
import { DraftPanel } from "./draft.js";
import { FieldsPanel } from "./fields.js";
import { questionFieldset } from "./questions.js";
import { OTHER, askFieldset, explainBox } from "./ask.js";
import { moreBlocks, primaryBlocks, renderBlocks } from "./recommend.js";

/** @typedef {import("./protocol.js").TriageResult} TriageResult */
/** @typedef {import("./state.js").Question} Question */

const TYPING_DELAY_MS = 150;

/** The static part of the step: built once, filled by render(). */
function buildShell() {
  const status = el("p", { class: "triage__status", "data-panel-status": "", role: "status", hidden: true });
  const callError = el("div", { class: "admonition failure", "data-call-error": "", role: "alert", hidden: true },
    el("p", { "data-call-error-text": "" }),
    el("p", {}, el("button", { type: "button", class: "md-button", "data-action": "retry-call", text: "Попробовать ещё раз" })));
  const notices = el("div", { class: "admonition info triage__notices", "data-input-notices": "", hidden: true },
    el("p", { class: "admonition-title", text: "Что мы поправили в тексте" }), el("ul", {}));
  const askForm = /** @type {HTMLFormElement} */ (el("form", { class: "triage__form triage__ask", method: "dialog",
    novalidate: true, "data-form": "ask", hidden: true }));
  const recommendation = el("div", { class: "triage__recommendation", "data-recommendation": "", "aria-live": "polite" });

  const draftSection = el("section", { class: "triage__box triage__box--draft", "aria-labelledby": "triage-h-draft",
    "data-draft-panel": "" },
  el("h3", { id: "triage-h-draft", "data-draft-title": "", text: "Черновик обращения" }),
  el("p", { class: "triage__hint", "data-draft-hint": "" }),
  el("dl", { class: "triage__form-fields", "data-form-fields": "", hidden: true }),
  el("pre", { class: "triage__draft", "data-draft": "", role: "region", "aria-labelledby": "triage-h-draft", tabindex: "0" }),
  el("p", { class: "triage__hint", "data-mailto-note": "", hidden: true }));
  // The engine's warnings: beside the draft, never in it.
  const warningsBox = el("div", { class: "triage__draft-warnings", hidden: true },
    el("p", { class: "triage__draft-warnings-title", id: "triage-h-warnings", text: "Что стоит добавить или проверить" }),
    el("ul", { "data-draft-warnings": "", "aria-labelledby": "triage-h-warnings" }));
  // The actions: under the draft on wide screens, a bar at the bottom of the screen on phones.
  const actions = el("div", { class: "triage__actions triage__action-bar", "data-draft-actions": "" },
    el("button", { type: "button", class: "md-button md-button--primary", "data-action": "copy", text: "Скопировать" }),
    el("button", { type: "button", class: "md-button", "data-action": "download", text: "Скачать .txt" }),
    el("span", { class: "triage__copy-status", role: "status", "data-copy-status": "" }));

  const topicSelect = /** @type {HTMLSelectElement} */ (el("select", { id: "triage-topic", "data-topic-select": "" }));
  const answers = el("div", { "data-answers": "" });
  const explain = el("div", { "data-explain-slot": "" });
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
    explain, answersForm);

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
  const detailsPanel = /** @type {HTMLDetailsElement} */ (el("details", { class: "triage__box triage__details",
    "data-details-panel": "" },
  el("summary", { "data-details-summary": "" }, "Добавить подробности",
    el("span", { class: "triage__summary-note", "data-details-count": "" })),
  el("p", { class: "triage__hint", text: "Заполните, что знаете: черновик обновляется, пока вы печатаете." }),
  summarySlot, detailsForm));

  const more = el("div", { class: "triage__more", "data-more": "" });
  // Wide screens: the recommendation and the rest on the left, the draft with its actions beside it.
  const side = el("div", { class: "triage__side" }, draftSection, actions, warningsBox);
  const body = el("div", { class: "triage__result", "data-result-body": "", hidden: true },
    callError, notices, askForm, recommendation, side, answersSection, detailsPanel, more);
  return { status, body, callError, notices, askForm, recommendation, topicSelect, answers, explain, answersForm,
    summarySlot, identify, describe, detailsForm, detailsPanel, draftSection, actions, warningsBox, more };
}

/**
 * Everything the step shows except what typing in a detail field changes (the draft's text,
 * mailto link and messages).
 * @param {TriageResult} result
 */
function frameSig(result) {
  const draft = result.draft;
  // What the customer types into a field comes back in the draft's text, values, blocks and sections, and as
  // the field's value; a value the engine recognised in the description still counts (it may change).
  const fields = (draft.fields || []).map((f) => ({ ...f, value: f.source === "recognised" ? f.value : "" }));
  return JSON.stringify({ ...result, input: null, draft: { ...draft, text: "", mailto: "", mailto_truncated: false,
    field_errors: null, warnings: null, values: null, blocks: null, sections: null, markdown: null, secrets: null,
    fields } });
}

export class ResultStep {
  /** @param {import("./ui.js").Wizard} w */
  constructor(w) {
    this.w = w;
    const dom = buildShell();
    const panel = w.dom.panels.result;
    panel.append(dom.status, dom.body);
    this.dom = dom;
    /** @type {TriageResult | null} the last triage result on screen */
    this.shown = null;
    this.live = { timer: 0, inflight: false, dirty: false };
    /** @type {Map<string, {sig: string, node: Element}>} recommendation block key -> content */
    this.recBlocks = new Map();
    /** @type {Map<string, {sig: string, node: Element}>} */
    this.moreBlocks = new Map();
    this.sigs = { topics: "", answers: "", ask: "", explain: "", notices: "" };
    this.frameSig = "";
    this.fields = new FieldsPanel(w, dom);
    this.draft = new DraftPanel(w, dom);

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
    w.on(dom.askForm, "submit", (event) => event.preventDefault());
    w.on(dom.askForm, "change", (event) => {
      const radio = event.target;
      if (!(radio instanceof HTMLInputElement) || !radio.checked) return;
      Object.assign(w.questionsStep.topicAsk, { chosen: radio.value, where: "result" });
      w.state.topic = radio.value === OTHER ? null : radio.value;
      w.save();
      this.scheduleLive(0);
    });
    w.on(/** @type {Element} */ (dom.callError.querySelector('[data-action="retry-call"]')), "click", () => {
      dom.callError.hidden = true;
      if (w.root.dataset.state === "error") w.retryEngine(); // onReady() shows the result again
      else w.go("result", { history: "none", focus: false });
    });
  }

  destroy() {
    clearTimeout(this.live.timer);
  }

  reset() {
    const r = this.dom;
    this.shown = null;
    r.body.hidden = true;
    r.recommendation.replaceChildren();
    r.more.replaceChildren();
    this.recBlocks.clear();
    this.moreBlocks.clear();
    this.fields.reset();
    r.answers.replaceChildren();
    r.askForm.replaceChildren();
    r.askForm.hidden = true;
    r.explain.replaceChildren();
    this.draft.reset();
    this.sigs = { topics: "", answers: "", ask: "", explain: "", notices: "" };
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

  // A keystroke: the engine call leaves in this very task (not a timer queued behind the frame that
  // paints the typed character), so the draft it brings back is painted in the next frame.
  liveNow() {
    clearTimeout(this.live.timer);
    this.flushLive();
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
    this.renderNotices(result);
    this.renderAsk(result);
    renderBlocks(this.dom.recommendation, this.recBlocks, primaryBlocks(this.w, result));
    this.renderAnswers(result);
    this.fields.render(result);
    this.fields.renderMessages(result);
    this.draft.render(result);
    renderBlocks(this.dom.more, this.moreBlocks, moreBlocks(this.w, result));
  }

  /**
   * What cleaning the input changed (control characters removed, text cut at the limit).
   * @param {TriageResult} result
   */
  renderNotices(result) {
    const notices = Array.isArray(result.notices) ? result.notices : [];
    const sig = JSON.stringify(notices);
    if (this.sigs.notices === sig) return;
    this.sigs.notices = sig;
    const box = this.dom.notices;
    /** @type {Element} */ (box.querySelector("ul")).replaceChildren(...notices.map((n) => el("li", { text: n })));
    box.hidden = notices.length === 0;
  }

  /**
   * «Что ближе к вашей ситуации?» above the recommendation, when the engine was unsure about this
   * text and the question was not already answered in the questions step. Once shown it stays
   * (with the customer's choice) until the description changes.
   * @param {TriageResult} result
   */
  renderAsk(result) {
    const t = this.w.questionsStep.topicAsk;
    const ask = this.w.questionsStep.askFor(result);
    const show = ask && t.where !== "questions" ? ask : null;
    const sig = JSON.stringify(show);
    if (this.sigs.ask === sig) return;
    this.sigs.ask = sig;
    const form = this.dom.askForm;
    form.replaceChildren(...(show ? [askFieldset(show, "r", t.chosen)] : []));
    form.hidden = !show;
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
    const explainSig = JSON.stringify(result.explain && result.explain.lines);
    if (this.sigs.explain !== explainSig) {
      this.sigs.explain = explainSig;
      const box = explainBox(result);
      r.explain.replaceChildren(...(box ? [box] : []));
    }

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
