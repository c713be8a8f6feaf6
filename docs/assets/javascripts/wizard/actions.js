// What the customer does with the draft: copy it, download it as a .txt file. (The mailto link is
// a plain link the draft panel builds from the engine's draft.mailto.)
import { el } from "./dom.js";

/**
 * Copy text to the clipboard; true if it worked. Falls back to execCommand where the Clipboard
 * API is missing or refused (plain http, older browsers).
 * @param {string} text
 */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const area = /** @type {HTMLTextAreaElement} */ (
    el("textarea", { readonly: true, "aria-hidden": "true", class: "triage__offscreen" }));
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  if (active && typeof active.focus === "function") active.focus();
  return ok;
}

/**
 * A file name from parts ("Провайдер — Тема.txt"), without characters file systems refuse.
 * @param {(string | null | undefined)[]} parts
 */
export function fileName(parts) {
  const name = parts.filter(Boolean).join(" — ")
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, " ")
    .replace(/\s+/g, " ").trim().slice(0, 120).replace(/[. ]+$/, "");
  return `${name || "Обращение в поддержку"}.txt`;
}

/**
 * Save text as a UTF-8 .txt file (a download made in the page: nothing is sent anywhere).
 * @param {string} text
 * @param {string} name
 */
export function downloadText(text, name) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
