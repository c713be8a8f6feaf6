// The wizard's state and its copy in sessionStorage ("triage:v1"), plus the deep link that may
// prefill it. Pure functions over a catalog of the providers (the page's config): the Wizard
// (ui.js) owns the one state object and calls these.
import { isObject, same } from "./dom.js";
import { cleanText } from "./clean.js";

export const STORAGE_KEY = "triage:v1";
/** @type {readonly Step[]} */
export const STEPS = ["describe", "questions", "result"];

/** @typedef {"describe" | "questions" | "result"} Step */

/**
 * What the customer entered and where they are. Kept in sessionStorage, masked (see saveState).
 * @typedef {object} State
 * @property {1} v
 * @property {string} provider                  "" until the customer (or the link) chooses one
 * @property {string} text
 * @property {string | null} topic
 * @property {Record<string, string>} answers   question id -> option value
 * @property {Record<string, string>} details   field name -> value
 * @property {string[]} asked                   questions already shown in the questions step
 * @property {Step} step
 */

/**
 * @typedef {object} Question
 * @property {string} id
 * @property {string} text
 * @property {string} help
 * @property {{value: string, label: string}[]} options
 * @property {string | null} default
 */

/**
 * One provider as the page's config describes it (sitebuild wizard_config).
 * @typedef {object} ProviderInfo
 * @property {string} id
 * @property {string} name
 * @property {string} page        relative to the site root
 * @property {string} clientArea
 * @property {Question[]} questions
 * @property {{id: string, title: string}[]} topics
 */

/**
 * The providers of the page: lookup by id; the first one stands in for lookups while none is chosen.
 * @typedef {object} Catalog
 * @property {Map<string, ProviderInfo>} byId
 * @property {string} defaultId
 */

/**
 * @param {ProviderInfo[]} providers
 * @returns {Catalog}
 */
export function catalog(providers) {
  return { byId: new Map(providers.map((p) => [p.id, p])), defaultId: providers[0].id };
}

/**
 * @param {Catalog} cat
 * @param {string} id
 * @returns {ProviderInfo}
 */
export function providerOf(cat, id) {
  return cat.byId.get(id) || /** @type {ProviderInfo} */ (cat.byId.get(cat.defaultId));
}

/**
 * @param {string} providerId
 * @returns {State}
 */
export function blankState(providerId) {
  return { v: 1, provider: providerId, text: "", topic: null, answers: {}, details: {}, asked: [], step: "describe" };
}

/**
 * Only answers that are options of the provider's questions.
 * @param {ProviderInfo} provider
 * @param {Record<string, unknown>} answers
 * @returns {Record<string, string>}
 */
export function cleanAnswers(provider, answers) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const q of provider.questions) {
    const value = answers[q.id];
    if (typeof value === "string" && q.options.some((o) => o.value === value)) out[q.id] = value;
  }
  return out;
}

/**
 * A valid state from anything (stored JSON, an undo copy): unknown values are dropped.
 * @param {Catalog} cat
 * @param {unknown} raw
 * @returns {State}
 */
export function cleanState(cat, raw) {
  if (!isObject(raw)) return blankState("");
  const providerId = cat.byId.has(raw.provider) ? raw.provider : "";
  const provider = cat.byId.get(providerId) || { questions: [], topics: [] };
  /** @type {Record<string, string>} */
  const details = {};
  if (isObject(raw.details)) {
    for (const [key, value] of Object.entries(raw.details)) {
      if (/^[a-z_]{1,32}$/.test(key) && typeof value === "string") details[key] = cleanText(value);
    }
  }
  const questionIds = new Set(provider.questions.map((q) => q.id));
  return {
    v: 1,
    provider: providerId,
    text: typeof raw.text === "string" ? cleanText(raw.text) : "",
    topic: provider.topics.some((t) => t.id === raw.topic) ? raw.topic : null,
    answers: cleanAnswers(/** @type {ProviderInfo} */ (provider), isObject(raw.answers) ? raw.answers : {}),
    details,
    asked: Array.isArray(raw.asked) ? raw.asked.filter((id) => questionIds.has(id)) : [],
    step: STEPS.includes(raw.step) ? raw.step : "describe",
  };
}

/**
 * @param {Catalog} cat
 * @returns {State | null}
 */
export function loadStored(cat) {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    return text ? cleanState(cat, JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

/**
 * Nothing entered or chosen yet (or everything cleared).
 * @param {State} state
 */
export function isBlank(state) {
  return same(state, blankState(""));
}

/**
 * Store a state; the caller passes it masked (persist.js). A blank state is not stored.
 * @param {State} state
 */
export function saveState(state) {
  try {
    if (isBlank(state)) {
      sessionStorage.removeItem(STORAGE_KEY);
      return;
    }
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // storage full or disabled: the wizard still works, only reload loses the state
  }
}

export function clearStored() {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

/**
 * @param {Pick<State, "provider" | "text" | "topic">} state
 */
export function canLeaveDescribe(state) {
  return Boolean(state.provider) && Boolean((state.text || "").trim() || state.topic);
}

/**
 * The state to start with: the stored one, then a deep link on top of it
 * (?provider=&text=&topic=&<question id>=<value>; values only prefill fields).
 * deepKeys: which of provider/text/topic the link set.
 * @param {Catalog} cat
 * @param {URLSearchParams} params
 * @param {unknown} [memory] the state this page held when instant navigation left it
 * @returns {{state: State, deepKeys: Set<string>}}
 */
export function initialState(cat, params, memory = null) {
  // Kept in memory across instant navigation (the same document): what was typed a moment ago, before the
  // masked copy reached sessionStorage, is not lost.
  const stored = memory ? cleanState(cat, memory) : loadStored(cat);
  let state = stored || blankState("");
  const asked = params.get("provider");
  const deepProvider = asked && cat.byId.has(asked) ? asked : null;
  const providerId = deepProvider || state.provider;
  const provider = providerOf(cat, providerId);
  /** @type {{text?: string, topic?: string}} */
  const deep = {};
  if (params.has("text")) deep.text = cleanText(params.get("text") || "");
  const topic = params.get("topic");
  if (topic && provider.topics.some((t) => t.id === topic)) deep.topic = topic;
  /** @type {Record<string, string>} */
  const answers = {};
  for (const q of provider.questions) {
    const value = (params.get(q.id) || "").trim().toLowerCase();
    if (q.options.some((o) => o.value === value)) answers[q.id] = value;
  }
  const isDeep = Boolean(deepProvider) || "text" in deep || "topic" in deep || Object.keys(answers).length > 0;
  const deepKeys = new Set([...(deepProvider ? ["provider"] : []), ...Object.keys(deep)]);
  if (isDeep) {
    if (providerId !== state.provider) state = { ...state, provider: providerId, topic: null, answers: {}, asked: [] };
    if (deep.text !== undefined) state = { ...state, text: deep.text, topic: null, asked: [] };
    if (deep.topic !== undefined) state = { ...state, topic: deep.topic };
    state = { ...state, answers: { ...state.answers, ...answers } };
    state.step = deepProvider && canLeaveDescribe(state) && ("text" in deep || "topic" in deep) ? "result" : "describe";
  } else {
    const fromUrl = /** @type {Step} */ (params.get("step"));
    if (stored && STEPS.includes(fromUrl)) state.step = fromUrl;
  }
  if (state.step !== "describe" && !canLeaveDescribe(state)) state.step = "describe";
  return { state, deepKeys };
}

/**
 * The engine request for a state: empty detail fields are left out, text is cleaned (clean.js), so
 * the engine never sees a control character, a lone surrogate or more than TEXT_LIMIT characters.
 * @param {State} state
 * @param {import("./protocol.js").Op} [op]
 * @returns {import("./protocol.js").EngineRequest}
 */
export function engineRequest(state, op = "triage") {
  /** @type {Record<string, string>} */
  const details = {};
  for (const [key, value] of Object.entries(state.details)) if (value.trim()) details[key] = cleanText(value);
  return { op, provider: state.provider, text: cleanText(state.text), answers: { ...state.answers }, details,
    topic: state.topic };
}
