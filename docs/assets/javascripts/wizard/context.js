// What the page knows beyond the customer's input: their clock (sent with every engine call, so the
// engine can say which channels are open now) and the provider page they came from.

/**
 * The customer's clock as ISO 8601 with the local offset ("2026-12-01T19:30:00+02:00"): the engine
 * says which channels are open now by it.
 * @param {Date} [date]
 */
export function localNow(date = new Date()) {
  /** @param {number} n */
  const two = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:` +
    `${two(date.getMinutes())}:00${offset < 0 ? "-" : "+"}${two(offset / 60)}:${two(offset % 60)}`;
}

/**
 * A provider the customer came from: the help page of a provider, opened right before this page.
 * @param {Set<string>} known
 */
export function referringProvider(known) {
  try {
    const from = new URL(document.referrer);
    if (from.origin !== location.origin) return "";
    const match = /\/providers\/([a-z0-9_-]+)\/?$/.exec(from.pathname);
    return match && known.has(match[1]) ? match[1] : "";
  } catch {
    return "";
  }
}
