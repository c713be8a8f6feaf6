// The wizard's steps in the browser history: every step has its own address (?step=...), so
// Back and Forward move between steps. The address never carries what the customer typed.
import { isObject } from "./dom.js";
import { STEPS } from "./state.js";

/** @typedef {import("./state.js").Step} Step */
/** @typedef {"push" | "replace" | "none"} HistoryMode */

/**
 * The address of a step: this page without query or hash, plus ?step= for the later steps.
 * @param {Step} step
 */
export function stepUrl(step) {
  const url = new URL(location.href);
  url.search = "";
  url.hash = "";
  if (step !== "describe") url.searchParams.set("step", step);
  return url.pathname + url.search;
}

function entryDepth() {
  return history.state && history.state.triage ? history.state.triage.depth || 0 : 0;
}

export class StepHistory {
  constructor() {
    /** How many wizard entries lie behind the current one (Back stays inside the wizard while > 0). */
    this.depth = entryDepth();
  }

  /**
   * The current entry becomes this step (other keys of history.state, e.g. Material's, are kept).
   * @param {Step} step
   */
  replace(step) {
    const state = isObject(history.state) ? { ...history.state } : {};
    history.replaceState({ ...state, triage: { step, depth: this.depth } }, "", stepUrl(step));
  }

  /** @param {Step} step */
  push(step) {
    this.depth += 1;
    history.pushState({ triage: { step, depth: this.depth } }, "", stepUrl(step));
  }

  /**
   * @param {Step} step
   * @param {HistoryMode} mode
   */
  record(step, mode) {
    if (mode === "push") this.push(step);
    else if (mode === "replace") this.replace(step);
  }

  /**
   * After popstate: the step of the entry the browser moved to.
   * @returns {Step}
   */
  popped() {
    const step = new URL(location.href).searchParams.get("step") ||
      (history.state && history.state.triage && history.state.triage.step) || "describe";
    this.depth = entryDepth();
    return STEPS.includes(/** @type {Step} */ (step)) ? /** @type {Step} */ (step) : "describe";
  }

  /**
   * Go one wizard entry back if there is one; false when the caller must show the step itself.
   */
  back() {
    if (this.depth <= 0) return false;
    history.back();
    return true;
  }
}
