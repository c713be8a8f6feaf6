// Small DOM and value helpers shared by the wizard's modules.

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
