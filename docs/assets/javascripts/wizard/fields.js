// The detail fields of the result step ("Кто вы", "Описание"): which fields to show, their
// validation messages and the engine's warnings next to them, and the error summary.
import { el, enforceLimit, input, limitInsertion } from "./dom.js";
import { TEXT_LIMIT, cleanText } from "./clean.js";

/** @typedef {import("./protocol.js").TriageResult} TriageResult */
/** @typedef {import("./protocol.js").Warning} Warning */

// Fields that hold several lines; all others are one-line inputs.
const MULTILINE = new Set(["text", "steps", "expected", "actual", "tried", "context", "want", "procedure"]);

/** @type {Record<string, string>} */
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

/** @type {Record<string, string>} */
const AUTOCOMPLETE = { email: "email", reply_to: "email" };

/**
 * @typedef {object} FieldsDom
 * @property {HTMLElement} identify       fieldset "Кто вы"
 * @property {HTMLElement} describe       fieldset "Описание"
 * @property {HTMLElement} detailsForm
 * @property {HTMLElement} summarySlot    where the error summary goes
 * @property {HTMLElement} otherWarnings  warnings that belong to no shown field
 */

export class FieldsPanel {
  /**
   * @param {import("./ui.js").Wizard} w
   * @param {FieldsDom} dom
   */
  constructor(w, dom) {
    this.w = w;
    this.dom = dom;
    /** @type {Map<string, HTMLElement>} field name -> wrapper element */
    this.wraps = new Map();
    /** @type {Set<string>} fields whose validation messages may show (left once, or filled) */
    this.touched = new Set();
    /** @type {WeakMap<HTMLElement, string>} wrapper -> signature of its messages */
    this.messageSigs = new WeakMap();
    this.sigs = { orphans: "", summary: "" };
    w.on(dom.detailsForm, "submit", (event) => event.preventDefault());
    w.on(dom.detailsForm, "beforeinput", (event) => limitInsertion(/** @type {InputEvent} */ (event)));
    w.on(dom.detailsForm, "input", (event) => this.onInput(event));
    w.on(dom.detailsForm, "focusout", (event) => this.onLeave(event));
  }

  reset() {
    for (const wrap of this.wraps.values()) wrap.remove();
    this.wraps.clear();
    this.dom.summarySlot.replaceChildren();
    this.sigs = { orphans: "", summary: "" };
    this.touched.clear();
  }

  /**
   * The input of a shown field, if any.
   * @param {string} name
   */
  field(name) {
    const wrap = this.wraps.get(name);
    return wrap ? input(wrap) : null;
  }

  /**
   * Which detail fields to show: the identification the channel asks for, the guided description
   * fields of the request type, and any field that already holds something (nothing is lost).
   * @param {TriageResult} result
   */
  plan(result) {
    const w = this.w;
    const labels = w.labels;
    const draft = result.draft;
    const kind = draft.kind;
    /** @param {string} name */
    const filled = (name) => Boolean((w.state.details[name] || "").trim());
    const identifiers = Object.keys(labels.identifiers);
    const askFor = kind === "self_service" ? [] : (draft.identify && draft.identify.fields) || [];
    const ident = [...askFor, ...identifiers.filter((name) => !askFor.includes(name) && filled(name))];
    const rtype = result.topic ? result.topic.type : "question";
    const guided = kind === "self_service" ? [] : Object.keys(labels.description[rtype] || {});
    const written = kind === "ticket" || kind === "email";
    const describe = [];
    if (written || filled("subject")) describe.push("subject");
    describe.push("text");
    describe.push(...guided);
    for (const fields of Object.values(labels.description)) {
      for (const name of Object.keys(fields)) if (!describe.includes(name) && filled(name)) describe.push(name);
    }
    if (written || filled("reply_to")) describe.push("reply_to");
    return { ident, askFor, need: (draft.identify && draft.identify.need) || "one", describe, kind };
  }

  /** @param {string} name */
  label(name) {
    const l = this.w.labels;
    if (l.identifiers[name]) return l.identifiers[name];
    for (const fields of Object.values(l.description)) if (fields[name]) return fields[name];
    return l.other[name] || name;
  }

  /** @param {string} name */
  build(name) {
    const w = this.w;
    const id = `triage-field-${name}`;
    const multiline = MULTILINE.has(name);
    /** @type {Record<string, unknown>} */
    const attrs = { id, name, "data-input": "", autocomplete: AUTOCOMPLETE[name] || "off",
      placeholder: PLACEHOLDERS[name] || null, maxlength: TEXT_LIMIT };
    if (w.labels.identifiers[name] || name === "reply_to") attrs.spellcheck = "false";
    const field = /** @type {HTMLInputElement} */ (multiline
      ? el("textarea", { ...attrs, rows: name === "text" ? 4 : 3 })
      : el("input", { ...attrs, type: "text" }));
    field.value = name === "text" ? w.state.text : w.state.details[name] || "";
    if (field.value.trim()) this.touched.add(name);
    return el("div", { class: "triage__field", "data-field": name },
      el("label", { for: id, text: this.label(name) }), field, el("div", { class: "triage__messages", "data-messages": "" }));
  }

  /**
   * Put the wrappers of `names` into container in this order, moving only what is out of place
   * (the field with the cursor keeps its focus).
   * @param {Element} container
   * @param {string[]} names
   */
  place(container, names) {
    /** @type {HTMLElement | null} */
    let previous = null;
    for (const name of names) {
      let wrap = this.wraps.get(name);
      if (!wrap) {
        wrap = this.build(name);
        this.wraps.set(name, wrap);
      }
      /** @type {ChildNode | null} */
      const wanted = previous ? previous.nextSibling : container.firstChild;
      if (wanted !== wrap || wrap.parentNode !== container) {
        const active = wrap.contains(document.activeElement) ? /** @type {HTMLElement} */ (document.activeElement) : null;
        if (previous) previous.after(wrap);
        else container.prepend(wrap);
        if (active) active.focus();
      }
      previous = wrap;
    }
  }

  /** @param {TriageResult} result */
  render(result) {
    const w = this.w;
    const { identify, describe } = this.dom;
    const plan = this.plan(result);
    const wanted = new Set([...plan.ident, ...plan.describe]);
    for (const [name, wrap] of this.wraps) {
      if (!wanted.has(name) && !wrap.contains(document.activeElement)) { // never pull a field from under the cursor
        wrap.remove();
        this.wraps.delete(name);
      }
    }
    this.place(/** @type {Element} */ (identify.querySelector("[data-fields]")), plan.ident);
    this.place(/** @type {Element} */ (describe.querySelector("[data-fields]")), plan.describe);
    identify.hidden = plan.ident.length === 0 && plan.kind !== "ticket";
    const provider = w.provider(result.provider.id);
    const hint = /** @type {HTMLElement} */ (identify.querySelector("[data-identify-hint]"));
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
      const field = /** @type {HTMLInputElement} */ (this.field(name));
      if (plan.need === "all") field.setAttribute("aria-required", "true");
      else field.removeAttribute("aria-required");
    }
    const dhint = /** @type {HTMLElement} */ (describe.querySelector("[data-description-hint]"));
    dhint.textContent = plan.kind === "self_service"
      ? "Опишите, что хотите настроить: текст попадёт в памятку."
      : result.topic && result.topic.type === "problem"
        ? "Чем точнее шаги, текст ошибки и время с часовым поясом, тем быстрее решат проблему."
        : "Пустые поля в черновик не попадают.";
    const subject = this.field("subject");
    if (subject) subject.setAttribute("placeholder", result.draft.subject || "");
  }

  /**
   * Validation messages (field_errors, once the field was left) and engine warnings, next to fields.
   * @param {TriageResult} result
   */
  renderMessages(result) {
    const w = this.w;
    const draft = result.draft;
    const errors = draft.field_errors || {};
    /** @type {Map<string, Warning[]>} */
    const byField = new Map();
    /** @type {Warning[]} */
    const orphans = [];
    for (const warning of draft.warnings || []) {
      if (warning.code === "invalid_field") continue; // shown as the field's validation message
      const list = warning.field ? byField.get(warning.field) : undefined;
      if (list) list.push(warning);
      else if (warning.field && this.wraps.has(warning.field)) byField.set(warning.field, [warning]);
      else orphans.push(warning);
    }
    /**
     * @param {Warning} wn
     * @param {string} id
     */
    const warningNode = (wn, id) => el("p", {
      class: `triage__message triage__message--${wn.severity === "error" ? "error" : "warning"}`,
      "data-warning-for": wn.field, "data-severity": wn.severity, "data-code": wn.code, id, text: wn.message });

    for (const [name, wrap] of this.wraps) {
      const field = input(wrap);
      const error = this.touched.has(name) ? errors[name] : null;
      const warnings = byField.get(name) || [];
      const sig = JSON.stringify([error, warnings]);
      if (this.messageSigs.get(wrap) === sig) continue;
      this.messageSigs.set(wrap, sig);
      const box = /** @type {HTMLElement} */ (wrap.querySelector("[data-messages]"));
      const ids = [];
      const nodes = [];
      if (error) {
        ids.push(`triage-error-${name}`);
        nodes.push(el("p", { class: "triage__message triage__message--error", id: `triage-error-${name}`,
          "data-field-error": name, text: error }));
      }
      warnings.forEach((wn, i) => {
        ids.push(`triage-warning-${name}-${i}`);
        nodes.push(warningNode(wn, `triage-warning-${name}-${i}`));
      });
      box.replaceChildren(...nodes);
      if (error || warnings.some((wn) => wn.severity === "error")) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
      if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
      else field.removeAttribute("aria-describedby");
    }

    const other = this.dom.otherWarnings;
    const otherSig = JSON.stringify(orphans);
    if (this.sigs.orphans !== otherSig) {
      this.sigs.orphans = otherSig;
      other.replaceChildren(...orphans.map((wn, i) => el("li", {}, warningNode(wn, `triage-warning-other-${i}`))));
      other.hidden = orphans.length === 0;
    }

    // Error summary: invalid values the customer already left, with links to the fields.
    const shown = Object.entries(errors).filter(([name]) => this.touched.has(name) && this.wraps.has(name));
    const summarySig = JSON.stringify(shown);
    if (this.sigs.summary === summarySig) return;
    this.sigs.summary = summarySig;
    const slot = this.dom.summarySlot;
    if (!shown.length) {
      slot.replaceChildren();
      return;
    }
    const items = shown.map(([name, message]) => {
      const link = el("a", { href: `#triage-field-${name}`, text: `${this.label(name)}: ${message}` });
      w.on(link, "click", (event) => {
        event.preventDefault();
        event.stopPropagation(); // Material's instant navigation must not treat it as a page link
        const field = this.field(name);
        if (field) field.focus();
      });
      return el("li", {}, link);
    });
    slot.replaceChildren(el("div", { class: "admonition failure triage__summary", "data-error-summary": "", role: "alert" },
      el("p", { class: "admonition-title", text: shown.length === 1 ? "Проверьте поле" : `Проверьте поля (${shown.length})` }),
      el("ul", {}, items)));
  }

  /** @param {Event} event */
  onInput(event) {
    const w = this.w;
    const field = /** @type {HTMLInputElement} */ (event.target);
    if (!field.matches || !field.matches("[data-input]")) return;
    enforceLimit(field);
    if (field.name === "text") {
      w.state.text = cleanText(field.value);
      w.dom.text.value = field.value;
      enforceLimit(w.dom.text);
    } else {
      w.state.details[field.name] = cleanText(field.value);
    }
    w.save();
    w.resultStep.scheduleLive(0);
  }

  /** @param {Event} event */
  onLeave(event) {
    const w = this.w;
    const field = /** @type {HTMLInputElement} */ (event.target);
    if (!field.matches || !field.matches("[data-input]")) return;
    if (!field.value.trim() || this.touched.has(field.name)) return;
    this.touched.add(field.name);
    const shown = w.resultStep.shown;
    if (shown) this.renderMessages(shown);
    w.resultStep.scheduleLive(0);
  }
}
