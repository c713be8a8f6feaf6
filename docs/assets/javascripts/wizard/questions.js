// Step 2, "questions": the provider's open questions as radio groups. The same groups show again
// in the result step's "Ваши ответы" (questionFieldset).
import { el, same } from "./dom.js";

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
    w.dom.panels.questions.append(status, intro, form);
    this.dom = { status, fields, form };
    w.on(form, "submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    w.on(form, "change", (event) => this.answerChanged(event, false));
    w.on(/** @type {Element} */ (form.querySelector('[data-action="back"]')), "click", () => w.back());
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

  /** @param {string[]} ids */
  render(ids) {
    const w = this.w;
    const provider = w.provider();
    const fieldsets = ids.map((id) => questionFieldset(/** @type {Question} */ (provider.questions.find((q) => q.id === id)),
      "q", null, w.state.answers[id]));
    this.dom.fields.replaceChildren(...fieldsets);
    this.rendered = true;
  }

  reset() {
    this.dom.fields.replaceChildren();
    this.rendered = false;
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
