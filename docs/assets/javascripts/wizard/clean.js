// What the customer types is cleaned before it is kept or reaches the engine: at most TEXT_LIMIT
// characters, no control characters (other than line breaks and tabs), no lone surrogates (the
// engine's JSON round trip through Pyodide cannot carry them).

/** The longest description (and detail field) the wizard keeps; the engine caps it as well. */
export const TEXT_LIMIT = 5000;

/**
 * Cut to `limit` characters (never inside a surrogate pair).
 * @param {string} text
 * @param {number} [limit]
 */
export function capText(text, limit = TEXT_LIMIT) {
  if (text.length <= limit) return text;
  const code = text.charCodeAt(limit - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit);
}

/**
 * The text as the wizard keeps and sends it: capped, without control characters, with every lone
 * surrogate replaced by U+FFFD. Work is bounded by the cap, whatever was pasted.
 * @param {string} text
 * @param {number} [limit]
 */
export function cleanText(text, limit = TEXT_LIMIT) {
  let out = "";
  let kept = 0;
  let from = 0; // start of the current run of characters kept as they are
  const end = text.length;
  let i = 0;
  for (; i < end && kept < limit; i++) {
    const code = text.charCodeAt(i);
    let replace = null;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f)) {
      replace = ""; // C0 controls other than tab and line feed, DEL, C1 controls
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        if (kept + 2 > limit) break;
        i++;
        kept += 2;
        continue;
      }
      replace = "\ufffd";
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      replace = "\ufffd";
    }
    if (replace === null) {
      kept++;
      continue;
    }
    out += text.slice(from, i) + replace;
    kept += replace.length;
    from = i + 1;
  }
  return out + text.slice(from, i);
}
