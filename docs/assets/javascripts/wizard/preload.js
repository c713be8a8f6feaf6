// Starting the engine before the wizard shows. The loader (wizard.js) imports this small module
// (and engine.js) on the wizard page, in parallel with the UI, and on any page when a visitor
// shows intent to open the wizard (pointer on a wizard link, focus, touch): the engine then starts
// while the reader's pointer dwells, and with instant navigation the same worker (engine.js keeps
// one per page load) serves the wizard when it appears.

import { getEngine } from "./engine.js";

/** @typedef {import("./ui.js").WizardConfig} WizardConfig */

/**
 * The wizard's config, written by the build into <template data-triage-config> (a template, not
 * a <script type="application/json">: Material's instant navigation re-creates the content's
 * scripts without their type, which would run the JSON as a script and break the CSP).
 * @param {ParentNode} root  the wizard's root, or a parsed wizard page
 * @returns {WizardConfig}
 */
export function readConfig(root) {
  const node = /** @type {HTMLTemplateElement | null} */ (root.querySelector("template[data-triage-config]"));
  if (!node) throw new Error("the wizard's config is missing");
  return JSON.parse(node.content.textContent || "");
}

/**
 * The engine's part of the config; paths stay relative to baseUrl (the site root).
 * @param {WizardConfig} c
 * @param {string} baseUrl
 * @returns {import("./protocol.js").EngineConfig}
 */
export function engineConfig(c, baseUrl) {
  return { baseUrl, runtime: c.runtime, wheel: c.wheel, data: c.data, stdlib: c.stdlib,
    bytecodeWheel: c.bytecodeWheel, snapshot: c.snapshot, timeoutMs: c.timeoutMs };
}

/**
 * Start the page's engine (or keep the running one).
 * @param {WizardConfig} config
 * @param {string} baseUrl
 * @param {string | null} [provider]  the provider a deep link names (its policy is fetched meanwhile)
 */
export function startEngine(config, baseUrl, provider) {
  return getEngine({ ...engineConfig(config, baseUrl), provider: provider || undefined });
}

/**
 * Start the engine from a help page: read the config from the wizard page (a small HTML fetch;
 * DOMParser loads nothing it references), then start.
 * @param {string} wizardUrl
 * @param {string} baseUrl
 */
export async function warmFrom(wizardUrl, baseUrl) {
  const response = await fetch(wizardUrl, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${wizardUrl}: HTTP ${response.status}`);
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  return startEngine(readConfig(doc), baseUrl);
}
