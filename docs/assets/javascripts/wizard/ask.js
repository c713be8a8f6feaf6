// «Что ближе к вашей ситуации?» (the engine's `ask`: up to three topics and «Другое») and «Так мы
// поняли ваше описание» (the engine's explain.lines): shown in the questions step and, when the
// result is reached without it, at the top of the result step.
import { el } from "./dom.js";

/** @typedef {import("./protocol.js").AskTopic} AskTopic */
/** @typedef {import("./protocol.js").TriageResult} TriageResult */

/** The value of «Другое»: go on with the engine's best guess. */
export const OTHER = "__other";

/**
 * The radio group of the topic question. prefix keeps ids unique.
 * @param {AskTopic} ask
 * @param {string} prefix
 * @param {string} chosen   a topic id, OTHER or ""
 */
export function askFieldset(ask, prefix, chosen) {
  const name = `${prefix}-ask-topic`;
  const options = el("div", { class: "triage__options" });
  ask.options.forEach((option, index) => {
    const id = `triage-${prefix}-ask-${index}`;
    const value = option.id || OTHER;
    const radio = /** @type {HTMLInputElement} */ (el("input", { type: "radio", id, name, value, "data-topic-option": "" }));
    radio.checked = chosen === value;
    options.append(el("div", { class: "triage__option" }, radio, el("label", { for: id, text: option.title })));
  });
  const hintId = `triage-${prefix}-ask-hint`;
  return el("fieldset", { class: "triage__question triage__question--topic", "data-ask-topic": "",
    "aria-describedby": hintId },
  el("legend", { text: ask.question }),
  el("p", { class: "triage__hint", id: hintId, text: "По описанию подходят несколько тем. Выберите ближайшую — " +
    "от неё зависят способ связи и черновик; «Другое» — оставить, как мы поняли." }),
  options);
}

/**
 * «Так мы поняли ваше описание»: the engine's lines, or nothing.
 * @param {TriageResult} result
 */
export function explainBox(result) {
  const lines = result.explain && Array.isArray(result.explain.lines) ? result.explain.lines : [];
  if (!lines.length) return null;
  return el("div", { class: "triage__explain", "data-explain-box": "" },
    el("p", { class: "triage__explain-title", text: "Так мы поняли ваше описание" }),
    el("ul", { "data-explain": "" }, lines.map((line) => el("li", { text: line }))));
}
