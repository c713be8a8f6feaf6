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
 * @property {string} [provider]      the provider a deep link names: its policy is fetched while
 *                                    the engine starts
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
 * @property {string} [provider]  fetch this provider's policy during start-up (a deep link)
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
 * @property {string} [now]   the customer's clock, ISO 8601 with the local offset (hours, open now)
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
 * @property {string} [help_url]    the matching section of the provider's page (relative to the site root)
 * @property {string} [help_title]
 */

/**
 * @typedef {object} ResolvedAnswer
 * @property {string} value
 * @property {"explicit" | "text" | "default"} source
 * @property {boolean} [guess]        read from the text: the customer may change it
 * @property {string[]} [evidence]    the words it was read from
 */

/**
 * @typedef {object} Warning
 * @property {string} code
 * @property {string} [field]
 * @property {"error" | "warning" | "info"} severity
 * @property {string} message
 */

/**
 * Status and hours of a channel (triage/availability.py channel_state).
 * @typedef {object} ChannelState
 * @property {"official" | "advisory" | "not_processed"} [status]
 * @property {string} [status_label]          the status for customers (Russian)
 * @property {string[]} [hours]               one line per window
 * @property {string} [timezone]              "UTC+03:00", "Europe/Kyiv, UTC+02:00/+03:00" or ""
 * @property {boolean | null} [open_now]      null: no clock given or no hours known
 * @property {string | null} [auto_close]
 * @property {string} [response_time_now]
 * @property {boolean} [reachable]            false: the page names no way to reach it (optional key)
 */

/**
 * @typedef {object} ChannelBase
 * @property {string} id
 * @property {string} kind
 * @property {string} title
 * @property {boolean | null} authorized      null: the page does not say
 * @property {string} purpose
 * @property {string | null} response_time
 * @property {string | null} availability
 * @property {string | null} address
 * @property {string | null} [address_note]
 * @property {string} [href]          tel:, mailto: or a link, when the source gives one (optional key)
 * @property {string | null} [reach_note]  why it cannot be reached (optional key)
 * @property {string | null} [site]   the provider's site, for an unreachable channel (optional key)
 * @property {{id: string, kind?: string, title: string, href?: string}[]} [alternatives]  reachable instead (optional)
 */

/** @typedef {ChannelBase & ChannelState} Channel */

/**
 * @typedef {object} AlternativeBase
 * @property {string} id
 * @property {string} kind
 * @property {string} title
 * @property {string} why
 * @property {string | null} [address]
 */

/** @typedef {AlternativeBase & ChannelState} Alternative */

/**
 * One field of the draft's field plan, in display order (triage/draft.py _field_plan).
 * @typedef {object} FieldPlanEntry
 * @property {string} id
 * @property {string} label
 * @property {"text" | "textarea" | "email"} kind
 * @property {string} placeholder
 * @property {boolean} required
 * @property {"identification" | "description"} block
 * @property {string} value
 * @property {"typed" | "recognised" | ""} source
 * @property {string} hint
 */

/**
 * @typedef {object} DraftBlock
 * @property {string} title
 * @property {string[]} lines
 * @property {string} text
 */

/**
 * @typedef {object} Draft
 * @property {string} kind
 * @property {string} subject
 * @property {{label: string, value: string}[]} header   the form fields above the message, in order
 * @property {Record<string, string>} form
 * @property {Record<string, string>} field_titles
 * @property {Record<string, DraftBlock>} blocks
 * @property {{id: string, title: string, lines: string[]}[]} sections
 * @property {Record<string, string>} values
 * @property {Record<string, string>} recognised
 * @property {FieldPlanEntry[]} fields
 * @property {{fields: string[], need: "one" | "all", hint?: string} | null} identify
 * @property {{identification?: string, description?: string}} [hints]
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
 * @typedef {object} AskTopic
 * @property {string} question                               «Что ближе к вашей ситуации?»
 * @property {{id: string | null, title: string}[]} options  up to three topics, then «Другое» (id null)
 */

/**
 * @typedef {object} GuessedAnswer
 * @property {string} id
 * @property {string} text
 * @property {string} value
 * @property {string} label
 * @property {string[]} evidence
 */

/**
 * @typedef {object} OutOfScope
 * @property {string} id
 * @property {string} title
 * @property {string} text      what support does not do
 * @property {string} instead   where to go instead
 * @property {string | null} [url]
 */

/**
 * @typedef {object} Availability
 * @property {string | null} at
 * @property {{id: string, title: string} | null} switched_from
 * @property {string | null} why
 * @property {string | null} opens
 */

/**
 * @typedef {object} TriageResult
 * @property {{id: string, name: string}} provider
 * @property {{id: string, title: string, type: string, picked?: boolean} | null} topic
 * @property {Channel} channel
 * @property {Alternative[]} alternatives
 * @property {string[]} reasons
 * @property {string[]} prepare
 * @property {string[]} cannot
 * @property {string[]} next
 * @property {string[]} how_to
 * @property {Record<string, ResolvedAnswer>} answers
 * @property {{id: string}[]} questions   still open
 * @property {boolean} [ask_topic]
 * @property {AskTopic | null} [ask]
 * @property {{lines?: string[]}} [explain]
 * @property {GuessedAnswer[]} [answers_guessed]
 * @property {Availability} [availability]
 * @property {OutOfScope | null} [out_of_scope]
 * @property {string[]} [notices]        what cleaning the input changed (Russian)
 * @property {Draft} draft
 * @property {MaskedInput} input
 */
