// The detail fields of the result step ("Кто вы", "Описание"), inside «Добавить подробности».
// Which fields, in which order, their labels, kinds, placeholders and hints all come from the
// engine's field plan (draft.fields, triage/draft.py): this module only displays it. Values the
// engine recognised in the description are prefilled and marked; what the customer types wins.
import { el, enforceLimit, input, limitInsertion } from "./dom.js";
import { TEXT_LIMIT, cleanText } from "./clean.js";

/** @typedef {import("./protocol.js").TriageResult} TriageResult */
/** @typedef {import("./protocol.js").Warning} Warning */
/** @typedef {import("./protocol.js").FieldPlanEntry} FieldPlanEntry */

const RECOGNISED_BADGE = "нашли в описании";

/**
 * @typedef {object} FieldsDom
 * @property {HTMLElement} identify       fieldset "Кто вы"
 * @property {HTMLElement} describe       fieldset "Описание"
 * @property {HTMLElement} detailsForm
 * @property {HTMLDetailsElement} detailsPanel  the collapsible «Добавить подробности»
 * @property {HTMLElement} summarySlot    where the error summary goes
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
    /** @type {Map<string, FieldPlanEntry>} field name -> the engine's plan entry */
    this.entries = new Map();
    /** @type {Set<string>} fields whose validation messages may show (left once, or filled) */
    this.touched = new Set();
    /** @type {WeakMap<HTMLElement, string>} wrapper -> signature of its messages */
    this.messageSigs = new WeakMap();
    this.sigs = { summary: "" };
    w.on(dom.detailsForm, "submit", (event) => event.preventDefault());
    w.on(dom.detailsForm, "beforeinput", (event) => limitInsertion(/** @type {InputEvent} */ (event)));
    w.on(dom.detailsForm, "input", (event) => this.onInput(event));
    w.on(dom.detailsForm, "focusout", (event) => this.onLeave(event));
  }

  reset() {
    for (const wrap of this.wraps.values()) wrap.remove();
    this.wraps.clear();
    this.entries.clear();
    this.dom.summarySlot.replaceChildren();
    this.sigs = { summary: "" };
    this.touched.clear();
    this.dom.detailsPanel.open = false;
  }

  /**
   * The input of a shown field, if any.
   * @param {string} name
   */
  field(name) {
    const wrap = this.wraps.get(name);
    return wrap ? input(wrap) : null;
  }

  /** @param {string} name */
  label(name) {
    const entry = this.entries.get(name);
    return entry ? entry.label : name;
  }

  /**
   * Open «Добавить подробности» and put the cursor into a field (from a warning or the summary).
   * @param {string} name
   */
  focusField(name) {
    const field = this.field(name);
    if (!field) return;
    this.dom.detailsPanel.open = true;
    field.focus();
  }

  /**
   * Whether the customer typed a value into this field (then it stays, whatever the engine says; an
   * emptied field shows the recognised value again, as the draft does).
   * @param {string} name
   */
  typed(name) {
    return Boolean((this.w.state.details[name] || "").trim());
  }

  /** @param {FieldPlanEntry} entry */
  build(entry) {
    const name = entry.id;
    const id = `triage-field-${name}`;
    /** @type {Record<string, unknown>} */
    const attrs = { id, name, "data-input": "", autocomplete: entry.kind === "email" ? "email" : "off",
      placeholder: entry.placeholder || null, spellcheck: entry.block === "identification" || entry.kind === "email"
        ? "false" : null, maxlength: TEXT_LIMIT };
    const field = /** @type {HTMLInputElement} */ (entry.kind === "textarea"
      ? el("textarea", { ...attrs, rows: name === "text" ? 4 : 3 })
      : el("input", { ...attrs, type: entry.kind === "email" ? "email" : "text" }));
    const badge = el("span", { class: "triage__badge", "data-recognised": name, text: RECOGNISED_BADGE, hidden: true });
    const hint = el("p", { class: "triage__hint", id: `${id}-hint`, "data-field-hint": "", hidden: true });
    const wrap = el("div", { class: "triage__field", "data-field": name, "data-kind": entry.kind },
      el("div", { class: "triage__field-head" }, el("label", { for: id, text: entry.label }), badge),
      field, hint, el("div", { class: "triage__messages", "data-messages": "" }));
    return wrap;
  }

  /**
   * Bring a wrapper up to date with its plan entry: label, placeholder, hint, the recognised mark,
   * and the value (the customer's own, else the recognised one) unless the cursor is in it.
   * @param {HTMLElement} wrap
   * @param {FieldPlanEntry} entry
   * @param {TriageResult} result
   */
  update(wrap, entry, result) {
    const w = this.w;
    const name = entry.id;
    const field = input(wrap);
    const label = /** @type {HTMLElement} */ (wrap.querySelector("label"));
    if (label.textContent !== entry.label) label.textContent = entry.label;
    const placeholder = entry.placeholder || (name === "subject" ? result.draft.subject : "");
    if ((field.getAttribute("placeholder") || "") !== placeholder) {
      if (placeholder) field.setAttribute("placeholder", placeholder);
      else field.removeAttribute("placeholder");
    }
    if (entry.required) field.setAttribute("aria-required", "true");
    else field.removeAttribute("aria-required");

    const editing = field === document.activeElement;
    const own = name === "text" ? w.state.text : this.typed(name) ? w.state.details[name] : null;
    const value = own !== null ? own : entry.source === "recognised" ? entry.value : "";
    if (!editing && field.value !== value) field.value = value;
    if (field.value.trim()) this.touched.add(name);

    const recognised = entry.source === "recognised" && !this.typed(name);
    wrap.dataset.source = recognised ? "recognised" : entry.source || "";
    /** @type {HTMLElement} */ (wrap.querySelector("[data-recognised]")).hidden = !recognised;
    const hint = /** @type {HTMLElement} */ (wrap.querySelector("[data-field-hint]"));
    const hintText = recognised ? entry.hint : "";
    if (hint.textContent !== hintText) hint.textContent = hintText;
    hint.hidden = !hintText;
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
      const wrap = /** @type {HTMLElement} */ (this.wraps.get(name));
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
    const { identify, describe } = this.dom;
    const draft = result.draft;
    const plan = Array.isArray(draft.fields) ? draft.fields : [];
    this.entries = new Map(plan.map((entry) => [entry.id, entry]));
    for (const [name, wrap] of this.wraps) {
      const entry = this.entries.get(name);
      const stale = !entry || wrap.dataset.kind !== entry.kind;
      if (stale && !wrap.contains(document.activeElement)) { // never pull a field from under the cursor
        wrap.remove();
        this.wraps.delete(name);
      }
    }
    for (const entry of plan) {
      let wrap = this.wraps.get(entry.id);
      if (!wrap) {
        wrap = this.build(entry);
        this.wraps.set(entry.id, wrap);
      }
      this.update(wrap, entry, result);
    }
    const ident = plan.filter((e) => e.block === "identification").map((e) => e.id);
    const described = plan.filter((e) => e.block !== "identification").map((e) => e.id);
    this.place(/** @type {Element} */ (identify.querySelector("[data-fields]")), ident);
    this.place(/** @type {Element} */ (describe.querySelector("[data-fields]")), described);

    const hints = draft.hints || {};
    const identHint = hints.identification || (draft.identify && draft.identify.hint) || "";
    /** @type {HTMLElement} */ (identify.querySelector("[data-identify-hint]")).textContent = identHint;
    identify.hidden = ident.length === 0 && !identHint;
    /** @type {HTMLElement} */ (describe.querySelector("[data-description-hint]")).textContent = hints.description || "";
    const recognised = plan.filter((e) => e.source === "recognised" && !this.typed(e.id)).length;
    const note = /** @type {HTMLElement} */ (this.dom.detailsPanel.querySelector("[data-details-count]"));
    note.textContent = recognised ? ` · ${RECOGNISED_BADGE}: ${recognised}` : "";
  }

  /**
   * Validation messages (field_errors, once the field was left) and engine warnings, next to fields.
   * @param {TriageResult} result
   */
  renderMessages(result) {
    const draft = result.draft;
    const errors = draft.field_errors || {};
    /** @type {Map<string, Warning[]>} */
    const byField = new Map();
    for (const warning of draft.warnings || []) {
      if (warning.code === "invalid_field" || !warning.field || !this.wraps.has(warning.field)) continue;
      byField.set(warning.field, [...(byField.get(warning.field) || []), warning]);
    }
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
        const id = `triage-warning-${name}-${i}`;
        ids.push(id);
        nodes.push(el("p", { class: `triage__message triage__message--${wn.severity === "error" ? "error" : "warning"}`,
          "data-warning-for": wn.field, "data-severity": wn.severity, "data-code": wn.code, id, text: wn.message }));
      });
      box.replaceChildren(...nodes);
      if (error || warnings.some((wn) => wn.severity === "error")) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
      const hint = /** @type {HTMLElement} */ (wrap.querySelector("[data-field-hint]"));
      if (!hint.hidden) ids.unshift(hint.id);
      if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
      else field.removeAttribute("aria-describedby");
    }
    this.renderSummary(errors);
  }

  /**
   * Error summary: invalid values the customer already left, with links to the fields.
   * @param {Record<string, string>} errors
   */
  renderSummary(errors) {
    const w = this.w;
    const shown = Object.entries(errors).filter(([name]) => this.touched.has(name) && this.wraps.has(name));
    const summarySig = JSON.stringify(shown);
    if (this.sigs.summary === summarySig) return;
    this.sigs.summary = summarySig;
    const slot = this.dom.summarySlot;
    if (!shown.length) {
      slot.replaceChildren();
      return;
    }
    this.dom.detailsPanel.open = true;
    const items = shown.map(([name, message]) => {
      const link = el("a", { href: `#triage-field-${name}`, text: `${this.label(name)}: ${message}` });
      w.on(link, "click", (event) => {
        event.preventDefault();
        event.stopPropagation(); // Material's instant navigation must not treat it as a page link
        this.focusField(name);
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
      const wrap = this.wraps.get(field.name);
      if (wrap && wrap.dataset.source === "recognised") { // the customer's value now: no longer "found"
        wrap.dataset.source = "typed";
        /** @type {HTMLElement} */ (wrap.querySelector("[data-recognised]")).hidden = true;
      }
    }
    w.saveSoon();
    w.resultStep.liveNow();
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
