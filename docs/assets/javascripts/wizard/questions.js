// Step 2, "questions": the provider's open questions as radio groups. The same groups show again
// in the result step's "Ваши ответы" (questionFieldset).
import { el, same } from "./dom.js";
import { OTHER, askFieldset, explainBox } from "./ask.js";

/** @typedef {import("./state.js").Question} Question */
/** @typedef {import("./protocol.js").TriageResult} TriageResult */
/** @typedef {import("./protocol.js").ResolvedAnswer} ResolvedAnswer */

/**
 * The note under a question: how the engine answered it when the customer did not.
 * @param {Question} question
 * @param {ResolvedAnswer | null} answer
 * @param {string | undefined} chosen   the customer's own answer
 */
function answerNote(question, answer, chosen) {
  if (chosen) return "";
  /** @param {string} value */
  const label = (value) => (question.options.find((o) => o.value === value) || { label: "" }).label || value;
  if (answer && answer.source === "text") {
    return `Так мы поняли ваше описание: «${label(answer.value)}». Если это не так, выберите другой ответ.`;
  }
  if (answer && answer.source === "explicit") return "";
  if (answer && answer.source === "default") return "Это ответ по умолчанию: выберите другой, если он не подходит.";
  return question.default ? `Если не ответить, будем считать: «${label(question.default)}».` : "";
}

/**
 * One radio group. prefix keeps ids unique; answer = the engine's resolved answer (result step).
 * @param {Question} question
 * @param {string} prefix
 * @param {ResolvedAnswer | null} answer
 * @param {string | undefined} chosen   the customer's own answer
 */
export function questionFieldset(question, prefix, answer, chosen) {
  const checked = chosen || (answer ? answer.value : null);
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
    const input = /** @type {HTMLInputElement} */ (el("input", { type: "radio", id, name: question.id, value: option.value }));
    input.checked = checked === option.value;
    options.append(el("div", { class: "triage__option" }, input, el("label", { for: id, text: option.label })));
  });
  fieldset.append(options);
  const note = answerNote(question, answer, chosen);
  if (note) {
    const id = `triage-${prefix}-${question.id}-note`;
    fieldset.append(el("p", { class: "triage__hint", id, "data-answer-source": answer ? answer.source : "default",
      text: note }));
    describedBy.push(id);
  }
  if (describedBy.length) fieldset.setAttribute("aria-describedby", describedBy.join(" "));
  return fieldset;
}

export class QuestionsStep {
  /** @param {import("./ui.js").Wizard} w */
  constructor(w) {
    this.w = w;
    this.rendered = false;
    /** The topic question as first asked (kept while the customer changes the answer), its text, the answer. */
    this.topicAsk = { ask: /** @type {import("./protocol.js").AskTopic | null} */ (null), text: "", chosen: "", where: "", seq: 0 };
    const status = el("p", { class: "triage__status", "data-panel-status": "", role: "status" });
    const intro = el("p", { text: "Ответы помогут выбрать способ связи. Не уверены — пропустите вопрос: " +
      "мы учтём ответ, указанный под ним." });
    const explain = el("div", { "data-explain-slot": "" });
    const ask = el("div", { "data-ask-slot": "" });
    const fields = el("div", { "data-questions": "" });
    const form = el("form", { class: "triage__form", method: "dialog", novalidate: true, "data-form": "questions" },
      ask, fields,
      el("div", { class: "triage__actions" },
        el("button", { type: "submit", class: "md-button md-button--primary", "data-action": "next",
          text: "Показать рекомендацию" })));
    w.dom.panels.questions.append(status, intro, explain, form);
    this.dom = { status, explain, ask, fields, form };
    w.on(form, "submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    w.on(form, "change", (event) => {
      const target = event.target;
      if (target instanceof HTMLInputElement && target.matches("[data-topic-option]")) this.topicChosen(target);
      else this.answerChanged(event, false);
    });
  }

  /**
   * Ids of the questions to ask: the engine's open ones plus those already asked, in policy order.
   * @param {TriageResult} result
   */
  questionIds(result) {
    const w = this.w;
    const open = new Set((result.questions || []).map((q) => q.id));
    const asked = new Set(w.state.asked);
    const ids = w.provider().questions.map((q) => q.id).filter((id) => open.has(id) || asked.has(id));
    const union = [...new Set([...w.state.asked, ...open])].filter((id) => ids.includes(id));
    if (!same(union, w.state.asked)) {
      w.state.asked = union;
      w.save();
    }
    return ids;
  }

  /**
   * The topic question to show: the one already shown for this text, or the engine's when it is
   * unsure and the customer has not chosen a topic.
   * @param {TriageResult} result
   */
  askFor(result) {
    const w = this.w;
    const t = this.topicAsk;
    if (t.ask && t.text !== w.state.text) Object.assign(t, { ask: null, text: "", chosen: "", where: "" });
    if (!t.ask && result.ask_topic && result.ask && !w.state.topic) {
      Object.assign(t, { ask: result.ask, text: w.state.text, chosen: "", where: "" });
    }
    return t.ask;
  }

  /**
   * Whether the questions step has anything to ask for this result.
   * @param {TriageResult} result
   */
  wanted(result) {
    return Boolean(this.askFor(result)) || this.questionIds(result).length > 0;
  }

  /**
   * @param {string[]} ids
   * @param {TriageResult} result
   */
  render(ids, result) {
    const w = this.w;
    const ask = this.askFor(result);
    const slot = this.dom.ask;
    const sig = JSON.stringify(ask);
    if (slot.dataset.sig !== sig) { // the same question keeps its node (and the customer's focus)
      slot.dataset.sig = sig;
      slot.replaceChildren(...(ask ? [askFieldset(ask, "q", this.topicAsk.chosen || w.state.topic || "")] : []));
    }
    this.renderQuestions(ids, result);
    this.rendered = true;
  }

  /**
   * The explanation and the questions (guessed answers preselected, with their note).
   * @param {string[]} ids
   * @param {TriageResult} result
   */
  renderQuestions(ids, result) {
    const w = this.w;
    const provider = w.provider();
    const guessed = Object.keys(result.answers || {}).filter((id) => result.answers[id].source === "text");
    const shown = provider.questions.map((q) => q.id).filter((id) => ids.includes(id) || guessed.includes(id));
    const fieldsets = shown.map((id) => questionFieldset(/** @type {Question} */ (provider.questions.find((q) => q.id === id)),
      "q", guessed.includes(id) ? result.answers[id] : null, w.state.answers[id]));
    this.dom.fields.replaceChildren(...fieldsets);
    const explain = explainBox(result);
    this.dom.explain.replaceChildren(...(explain ? [explain] : []));
  }

  reset() {
    this.dom.fields.replaceChildren();
    this.dom.ask.replaceChildren();
    delete this.dom.ask.dataset.sig;
    this.dom.explain.replaceChildren();
    Object.assign(this.topicAsk, { ask: null, text: "", chosen: "", where: "" });
    this.rendered = false;
  }

  /**
   * The customer chose an answer to «Что ближе к вашей ситуации?»: route again with that topic
   * («Другое»: without one) and show the questions that topic asks.
   * @param {HTMLInputElement} radio
   */
  async topicChosen(radio) {
    const w = this.w;
    const chosen = radio.value;
    Object.assign(this.topicAsk, { chosen, where: "questions" });
    w.state.topic = chosen === OTHER ? null : chosen;
    w.state.asked = []; // the questions of the topic guessed before no longer apply
    w.save();
    const seq = ++this.topicAsk.seq;
    this.setStatus("Уточняем рекомендацию…");
    const result = await w.triage();
    if (seq !== this.topicAsk.seq || w.destroyed || w.state.step !== "questions") return;
    this.setStatus("");
    if (result) this.renderQuestions(this.questionIds(result), result);
  }

  /**
   * A radio button of a question was chosen (here or in the result step's answers; live: update
   * the result at once).
   * @param {Event} event
   * @param {boolean} live
   */
  answerChanged(event, live) {
    const w = this.w;
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "radio" || !input.checked) return;
    const q = w.provider().questions.find((item) => item.id === input.name);
    if (!q) return;
    w.state.answers[q.id] = input.value;
    w.save();
    if (live) w.resultStep.scheduleLive(0);
  }

  async submit() {
    const w = this.w;
    const token = ++w.navToken;
    this.topicAsk.seq += 1; // a pending re-route is superseded by this one
    this.setStatus("Подбираем способ связи…");
    const result = await w.triage();
    if (token !== w.navToken || w.destroyed) return;
    this.setStatus("");
    if (result) w.go("result", { history: "push", result });
  }

  /** @param {string} text */
  setStatus(text) {
    this.dom.status.textContent = text;
    this.dom.status.hidden = !text;
  }
}
