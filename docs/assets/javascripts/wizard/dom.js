// Small DOM and value helpers shared by the wizard's modules.
import { TEXT_LIMIT, capText } from "./clean.js";

/**
 * Create an element. attrs: "text" sets textContent, "hidden" hides it, true sets an empty
 * attribute, null/undefined/false skip it. Children are nodes or strings (never parsed as HTML).
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "hidden") node.hidden = true;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
export const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * @param {unknown} a
 * @param {unknown} b
 */
export const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The input element of a field wrapper or form (found by data-input).
 * @param {ParentNode} parent
 * @param {string} [selector]
 * @returns {HTMLInputElement}
 */
export function input(parent, selector = "[data-input]") {
  return /** @type {HTMLInputElement} */ (parent.querySelector(selector));
}

/**
 * Keep a text field within TEXT_LIMIT characters (its maxlength stops typing and pasting beyond
 * it; a value set another way is cut here) and, while it is full, say so under it.
 * @param {HTMLInputElement | HTMLTextAreaElement} field
 */
export function enforceLimit(field) {
  if (field.value.length > TEXT_LIMIT) field.value = capText(field.value);
  const full = field.value.length >= TEXT_LIMIT;
  const id = `${field.id}-limit`;
  let notice = document.getElementById(id);
  if (full && !notice) {
    notice = el("p", { class: "triage__hint triage__limit", id, role: "status", "data-limit-notice": field.name,
      text: `Не больше ${TEXT_LIMIT.toLocaleString("ru-RU")} символов: текст сверх этого не сохраняется. ` +
        "Оставьте главное." });
    field.after(notice);
  } else if (!full && notice) {
    notice.remove();
  }
}

/**
 * beforeinput handler of a text field: an insertion (a paste, dropped or scripted text) that would
 * overflow TEXT_LIMIT is cut before the browser takes it, so a megabyte pasted never reaches the
 * field's layout; what fits goes in at the cursor.
 * @param {InputEvent} event
 */
export function limitInsertion(event) {
  const field = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (event.target);
  const data = event.data ?? (event.dataTransfer ? event.dataTransfer.getData("text/plain") : null);
  if (typeof data !== "string" || field.selectionStart === null || field.selectionEnd === null) return;
  const room = TEXT_LIMIT - field.value.length + (field.selectionEnd - field.selectionStart);
  if (data.length <= room) return;
  event.preventDefault();
  field.setRangeText(capText(data, Math.max(0, room)), field.selectionStart, field.selectionEnd, "end");
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

/**
 * The site root as an absolute URL. Material's config knows it relative to this page ("..",
 * "../.." ...); resolving it against the current address works under any prefix and after
 * instant navigation.
 */
export function siteRoot() {
  try {
    const config = JSON.parse(/** @type {HTMLElement} */ (document.querySelector("#__config")).textContent || "");
    return new URL(config.base || ".", location.href).href;
  } catch {
    return new URL("..", location.href).href;
  }
}
