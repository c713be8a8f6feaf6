// The engine's message protocol, written once: the page (engine.js) and the worker (worker.js)
// import these types; `npm run lint` type-checks both against them (tsc --checkJs).
// The engine's answers (TriageResult, ...) are the JSON of triage/api.py; only what the page
// reads is typed here.
//
//   page -> worker                                   worker -> page
//   InitMessage      start the engine                ProgressMessage  start-up stage
//   PrefetchMessage  cache the snapshot (next visit) ReadyMessage     started, and how
//   CallMessage      one engine call (id)            ErrorMessage     start-up failed
//                                                    ResultMessage    the answer to call `id`
export {};

/**
 * Where the engine's files are; paths relative to baseUrl (the site root). The page (engine.js)
 * turns them into the absolute URLs of InitMessage.
 * @typedef {object} EngineConfig
 * @property {string} baseUrl
 * @property {string} runtime         Pyodide's folder (ends with "/")
 * @property {string} wheel           the engine as a source wheel
 * @property {string} data            the compiled policies' folder (ends with "/"): <provider id>.json
 * @property {string} [stdlib]        the stdlib subset as Pyodide bytecode
 * @property {string} [bytecodeWheel] the engine as Pyodide bytecode
 * @property {string} [snapshot]      a memory snapshot made with the two above
 * @property {number} [timeoutMs]     give up starting after this long
 */

/**
 * Start the engine. Absolute URLs. stdlib and bytecodeWheel: the stdlib subset and the engine as
 * Pyodide bytecode (build.py); if either fails, the page retries without them in a fresh worker.
 * snapshot: used only when it is already in the HTTP cache (a repeat visit).
 * @typedef {object} InitMessage
 * @property {"init"} type
 * @property {string} runtime
 * @property {string} wheel
 * @property {string} data
 * @property {string} [stdlib]
 * @property {string} [bytecodeWheel]
 * @property {string} [snapshot]
 */

/**
 * Put the snapshot into the HTTP cache for the next visit (sent once the wizard is in use).
 * @typedef {object} PrefetchMessage
 * @property {"prefetch"} type
 */

/**
 * @typedef {object} CallMessage
 * @property {"call"} type
 * @property {number} id
 * @property {EngineRequest} request
 */

/** @typedef {InitMessage | PrefetchMessage | CallMessage} ToWorker */

/**
 * @typedef {object} ProgressMessage
 * @property {"progress"} type
 * @property {Stage} stage
 */

/** @typedef {"runtime" | "engine"} Stage  loading Pyodide | loading the engine into it */

/** @typedef {"snapshot" | "bytecode" | "plain"} StartMode  how the engine started */

/**
 * @typedef {object} ReadyMessage
 * @property {"ready"} type
 * @property {string} version  Pyodide's version
 * @property {StartMode} mode
 */

/**
 * @typedef {object} ErrorMessage
 * @property {"error"} type
 * @property {string} message
 */

/**
 * @typedef {object} ResultMessage
 * @property {"result"} type
 * @property {number} id       the CallMessage's id
 * @property {EngineResponse} response
 */

/** @typedef {ProgressMessage | ReadyMessage | ErrorMessage | ResultMessage} FromWorker */

/** @typedef {"triage" | "suggest" | "topics"} Op */

/**
 * One call of triage/api.py handle(): `op` picks the function.
 * @typedef {object} EngineRequest
 * @property {Op} op
 * @property {string} provider
 * @property {string} text
 * @property {Record<string, string>} answers
 * @property {Record<string, string>} details
 * @property {string | null} topic
 */

/**
 * handle()'s answer: result is a TriageResult (triage), Suggestion[] (suggest) or TopicInfo[]
 * (topics). An error never throws: it comes back as {ok: false}.
 * @typedef {{ok: true, result: unknown} | {ok: false, error: string}} EngineResponse
 */

/**
 * @typedef {object} Suggestion
 * @property {string} id
 * @property {string} title
 * @property {number} score
 */

/**
 * @typedef {object} ResolvedAnswer
 * @property {string} value
 * @property {"explicit" | "text" | "default"} source
 */

/**
 * @typedef {object} Warning
 * @property {string} code
 * @property {string} [field]
 * @property {"error" | "warning" | "info"} severity
 * @property {string} message
 */

/**
 * @typedef {object} Channel
 * @property {string} id
 * @property {string} kind
 * @property {string} title
 * @property {boolean} authorized
 * @property {string} purpose
 * @property {string | null} response_time
 * @property {string | null} availability
 * @property {string | null} address
 * @property {string | null} [address_note]
 */

/**
 * @typedef {object} Draft
 * @property {string} kind
 * @property {string} subject
 * @property {Record<string, string>} fields
 * @property {Record<string, string>} field_titles
 * @property {{fields: string[], need: "one" | "all"} | null} identify
 * @property {Record<string, string>} field_errors
 * @property {Warning[]} warnings
 * @property {string} text
 * @property {string} [mailto]
 * @property {boolean} [mailto_truncated]
 */

/**
 * The echo of the request with every secret masked, as the draft shows it.
 * @typedef {object} MaskedInput
 * @property {string} text
 * @property {Record<string, string>} answers
 * @property {Record<string, string>} details
 * @property {string | null} topic
 */

/**
 * @typedef {object} TriageResult
 * @property {{id: string, name: string}} provider
 * @property {{id: string, title: string, type: string} | null} topic
 * @property {Channel} channel
 * @property {{id: string, kind: string, title: string, why: string}[]} alternatives
 * @property {string[]} reasons
 * @property {string[]} prepare
 * @property {string[]} cannot
 * @property {string[]} next
 * @property {string[]} how_to
 * @property {Record<string, ResolvedAnswer>} answers
 * @property {{id: string}[]} questions   still open
 * @property {Draft} draft
 * @property {MaskedInput} input
 */
