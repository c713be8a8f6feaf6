// The recommendation of the result step, as blocks built from the engine's answer: the channel
// card (status, hours, open now, how to reach it, or that the source names no way to) and what
// support does not do; and, below the draft, why this channel, what to prepare, how, what happens
// next and the other channels. Blocks are replaced only when their content changes (see renderBlocks).
import { el } from "./dom.js";

/** @typedef {import("./protocol.js").TriageResult} TriageResult */
/** @typedef {import("./protocol.js").Channel} Channel */
/** @typedef {import("./protocol.js").Alternative} Alternative */
/** @typedef {[string, unknown, () => Element]} Block  key, the data it shows, how to build it */

// Kinds that need an address (a number, an e-mail, a messenger contact) to be reached.
/** @type {Record<string, {label: string, missing: string}>} */
const ADDRESSED = {
  phone: { label: "Телефон", missing: "Номер телефона в источнике не указан." },
  email: { label: "E-mail", missing: "Адрес электронной почты в источнике не указан." },
  messenger: { label: "Контакт", missing: "Контакт в мессенджере в источнике не указан." },
};

/**
 * @param {string} tag
 * @param {string} attr
 * @param {string[]} items
 */
const list = (tag, attr, items) => el(tag, { [attr]: "" }, items.map((item) => el("li", { text: item })));

/**
 * @param {string} title
 * @param {Node} child
 * @param {string} [attr]
 */
const section = (title, child, attr) => el("div", { class: "triage__rec-block", [attr || "data-rec-block"]: "" },
  el("h4", { text: title }), child);

/**
 * Whether the customer can reach the channel from what the source gives. The engine may say so
 * (`reachable`); without that key, a phone, e-mail or messenger channel needs an address.
 * @param {Channel | Alternative} channel
 */
export function reachable(channel) {
  if (typeof channel.reachable === "boolean") return channel.reachable;
  return !(ADDRESSED[channel.kind] && !channel.address);
}

/**
 * Channels to use instead of an unreachable one: the engine's list if it gives one, else the
 * reachable alternatives of the result.
 * @param {TriageResult} result
 * @returns {{id: string, title: string}[]}
 */
function reachableInstead(result) {
  const own = result.channel.alternatives;
  if (Array.isArray(own) && own.length) return own;
  return result.alternatives.filter((alt) => alt.status !== "not_processed" &&
    (alt.reachable === true || (alt.reachable === undefined && !ADDRESSED[alt.kind])));
}

/**
 * @param {import("./ui.js").Wizard} w
 * @param {TriageResult} result
 */
function pageUrl(w, result) {
  const provider = w.provider(result.provider.id);
  return (hash = "") => new URL(provider.page + hash, w.base).href;
}

/**
 * "Сейчас открыт" / "сейчас закрыт" and the hours, when the engine knows them.
 * @param {Channel | Alternative} channel
 */
function hoursText(channel) {
  const parts = [];
  if (channel.open_now === true) parts.push("сейчас работает");
  else if (channel.open_now === false) parts.push("сейчас не работает");
  if (channel.hours && channel.hours.length) {
    parts.push(channel.hours.join("; ") + (channel.timezone ? ` (${channel.timezone})` : ""));
  }
  return parts.join(" · ");
}

/**
 * The blocks at the top of the result step: the channel card, out-of-scope work, the hours note.
 * @param {import("./ui.js").Wizard} w
 * @param {TriageResult} result
 * @returns {Block[]}
 */
export function primaryBlocks(w, result) {
  const channel = result.channel;
  const kinds = w.labels.kinds;
  const url = pageUrl(w, result);
  /** @type {Block[]} */
  const blocks = [];

  /** @type {HTMLElement[]} */
  const facts = [];
  facts.push(el("li", { "data-response-time": "" }, el("strong", { text: "Время ответа: " }),
    channel.response_time_now || channel.response_time || "провайдер не указывает"));
  if (channel.availability) facts.push(el("li", {}, el("strong", { text: "Когда работает: " }), channel.availability));
  const hours = hoursText(channel);
  if (hours) {
    facts.push(el("li", { "data-hours": "", "data-open-now": channel.open_now === null || channel.open_now === undefined
      ? null : String(channel.open_now) }, el("strong", { text: "Часы работы: " }), hours));
  }
  const canReach = reachable(channel);
  const addressed = ADDRESSED[channel.kind];
  if (channel.address) {
    facts.push(el("li", { "data-address": "" }, el("strong", { text: `${addressed ? addressed.label : "Адрес"}: ` }),
      channel.address));
  } else if (canReach && channel.address_note) {
    facts.push(el("li", { "data-address": "" }, el("strong", { text: "Где: " }), channel.address_note));
  }
  facts.push(el("li", {}, el("strong", { text: "Авторизация: " }), channel.authorized === true
    ? "обращение авторизовано" : channel.authorized === false ? "обращение не авторизовано" : "страница не уточняет"));
  if (channel.auto_close) facts.push(el("li", {}, el("strong", { text: "Закрытие заявки: " }), channel.auto_close));

  /** @type {Element | null} */
  let unreachable = null;
  if (!canReach) {
    const note = channel.reach_note || channel.address_note || (addressed ? addressed.missing : "Как связаться, источник не уточняет.");
    const site = typeof channel.site === "string" && /^https?:\/\//.test(channel.site) ? channel.site : null;
    const instead = reachableInstead(result);
    unreachable = el("div", { class: "triage__unreachable", "data-unreachable": "" },
      el("p", {}, el("strong", { text: "Как связаться: " }), note, " ",
        site ? ["Ищите контакты на ", el("a", { href: site, rel: "noopener", "data-provider-site": "", text: site }), "."]
          : ["Подробнее — ", el("a", { href: url(), text: "в справке по провайдеру" }), "."]),
      instead.length ? el("p", { "data-reachable-alternatives": "" }, "Можно обратиться иначе: ",
        instead.flatMap((alt, i) => [i ? ", " : "", el("a", { href: url(`#${alt.id}`), "data-channel-id": alt.id,
          text: alt.title })]), ".") : null);
  }
  const status = channel.status && channel.status !== "official" ? channel.status_label || channel.status : "";
  blocks.push(["channel", [channel, result.topic && result.topic.title], () =>
    el("div", { class: `triage__channel triage__channel--${channel.kind}`, "data-channel-kind": channel.kind,
      "data-channel-status": channel.status || null },
    el("p", { class: "triage__eyebrow" }, `Рекомендуем · ${kinds[channel.kind] || channel.kind}`),
    el("h3", { class: "triage__channel-title", "data-channel-title": "", text: channel.title }),
    status ? el("p", { class: "triage__status-label", "data-status-label": "", text: status }) : null,
    el("p", { text: channel.purpose }),
    result.topic ? el("p", { "data-topic-line": "" }, el("strong", { text: "Тема: " }), result.topic.title) : null,
    el("ul", { class: "triage__facts" }, facts),
    unreachable)]);

  const scope = result.out_of_scope;
  if (scope) {
    blocks.push(["scope", scope, () => el("div", { class: "admonition warning", "data-out-of-scope": "" },
      el("p", { class: "admonition-title", text: `Поддержка этого не делает: ${scope.title}` }),
      el("p", { text: scope.text }),
      el("p", {}, el("strong", { text: "Куда обратиться: " }), scope.instead,
        scope.url && /^https?:\/\//.test(scope.url) ? [" ", el("a", { href: scope.url, rel: "noopener", text: scope.url })]
          : null))]);
  }
  const availability = result.availability;
  if (availability && availability.why) {
    blocks.push(["availability", availability.why, () => el("p", { class: "triage__notice", "data-availability": "",
      text: /** @type {string} */ (availability.why) })]);
  }
  return blocks;
}

/**
 * The blocks below the draft: why this channel, what to prepare, how, what the channel cannot do, what happens next,
 * the other channels, the provider's page.
 * @param {import("./ui.js").Wizard} w
 * @param {TriageResult} result
 * @returns {Block[]}
 */
export function moreBlocks(w, result) {
  const provider = w.provider(result.provider.id);
  const kinds = w.labels.kinds;
  const url = pageUrl(w, result);
  /** @type {Block[]} */
  const blocks = [];
  if (result.reasons.length) {
    blocks.push(["reasons", result.reasons, () => section("Почему этот способ", list("ul", "data-reasons", result.reasons))]);
  }
  if (result.prepare.length) {
    blocks.push(["prepare", result.prepare, () => section("Что подготовить", list("ul", "data-prepare", result.prepare))]);
  }
  if (result.how_to.length) {
    blocks.push(["how", result.how_to, () => section("Как это сделать", list("ol", "data-how-to", result.how_to))]);
  }
  if (result.cannot.length) {
    blocks.push(["cannot", result.cannot, () =>
      section("Чего не сделают через этот канал", list("ul", "data-cannot", result.cannot))]);
  }
  if (result.next.length) {
    blocks.push(["next", result.next, () => section("Что будет после обращения", list("ul", "data-next", result.next))]);
  }
  /** @param {Alternative} alt */
  const altState = (alt) => [alt.status && alt.status !== "official" ? alt.status_label || alt.status : "",
    alt.open_now === true ? "сейчас работает" : alt.open_now === false ? "сейчас не работает" : ""].filter(Boolean);
  blocks.push(["alternatives", result.alternatives, () => section("Другие способы",
    result.alternatives.length
      ? el("ul", { "data-alternatives": "" }, result.alternatives.map((alt) => el("li", { "data-channel-kind": alt.kind },
        el("a", { href: url(`#${alt.id}`), text: alt.title }),
        ` (${[kinds[alt.kind] || alt.kind, ...altState(alt)].join(", ")}) — ${alt.why}`)))
      : el("p", { "data-alternatives": "", text: "Других подходящих способов у провайдера нет." }))]);
  blocks.push(["page", [provider.id], () => el("p", { class: "triage__hint" },
    "Все правила провайдера: ", el("a", { href: url(), text: `${provider.name}: как обратиться в поддержку` }), ".")]);
  return blocks;
}

/**
 * Put blocks into box in order, rebuilding only those whose data changed (so a live region
 * announces what changed, not the whole card on every keystroke).
 * @param {Element} box
 * @param {Map<string, {sig: string, node: Element}>} cache  key -> what is on screen
 * @param {Block[]} blocks
 */
export function renderBlocks(box, cache, blocks) {
  const keep = new Set();
  /** @type {Element | null} */
  let previous = null;
  for (const [key, data, build] of blocks) {
    keep.add(key);
    const sig = JSON.stringify(data);
    let entry = cache.get(key);
    if (!entry || entry.sig !== sig) {
      const node = build();
      if (entry) entry.node.replaceWith(node);
      entry = { sig, node };
      cache.set(key, entry);
    }
    /** @type {ChildNode | null} */
    const wanted = previous ? previous.nextSibling : box.firstChild;
    if (wanted !== entry.node) {
      if (previous) previous.after(entry.node);
      else box.prepend(entry.node);
    }
    previous = entry.node;
  }
  for (const [key, entry] of cache) {
    if (!keep.has(key)) {
      entry.node.remove();
      cache.delete(key);
    }
  }
}
