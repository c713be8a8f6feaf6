// Russian word forms for Material's site search: loads Material's search worker unchanged, then
// adds the Snowball stem of every Cyrillic query word as an extra prefix term ("почты" -> "почты
// почт", Material then appends "*"). A classic worker script.
//
// build.py (sitebuild/searchru.py) writes this file to assets/javascripts/search-ru.js with the
// one line marked "@build" replaced: the hashed name of Material's worker, the stemmer files and
// Material's message numbers, all read from the installed mkdocs-material.
(function () {
  "use strict";

  // Placeholder values; the build replaces this line (it must stay one line).
  const BUILD = { worker: "", stemmers: [], query: -1, result: -1 }; // @build

  const QUERY = BUILD.query;   // Material's SearchMessageType.QUERY (page -> worker)
  const RESULT = BUILD.result; // Material's SearchMessageType.RESULT (worker -> page)
  const MIN_STEM = 3;          // shorter stems would match too much

  // All URLs are relative to this file, so the site works under any prefix.
  const here = self.location.href;
  const worker = new URL(BUILD.worker, here).href;
  const stemmer = BUILD.stemmers.map((url) => new URL(url, here).href);

  // Material loads its lunr languages from "../lunr/..." relative to its own URL, but
  // importScripts resolves against *this* file: re-resolve them against Material's worker URL,
  // and skip files that are already loaded.
  const importNative = self.importScripts.bind(self);
  const loaded = new Set();
  self.importScripts = function (...args) {
    const urls = args.map((url) => new URL(url, worker).href).filter((url) => !loaded.has(url));
    urls.forEach((url) => loaded.add(url));
    if (urls.length) importNative(...urls);
  };

  // Intercept the "message" listener Material's worker is about to register.
  const addNative = self.addEventListener.bind(self);
  const pending = []; // one {stem: word} map per query, FIFO
  self.addEventListener = function (type, listener, options) {
    if (type === "message") {
      const inner = listener;
      listener = function (ev) {
        if (ev.data && ev.data.type === QUERY && typeof ev.data.data === "string") {
          const expanded = expand(ev.data.data);
          pending.push(expanded.added);
          ev = new MessageEvent("message", { data: { type: QUERY, data: expanded.query } });
        }
        return inner(ev);
      };
    }
    return addNative(type, listener, options);
  };

  // Results: a match on the added stem means the typed word is not "missing".
  const postNative = self.postMessage.bind(self);
  self.postMessage = function (message) {
    if (message && message.type === RESULT) fixTerms(message.data, pending.shift());
    return postNative(message);
  };

  self.importScripts(worker);        // Material's worker, defines self.lunr
  self.importScripts(...stemmer);    // Snowball Russian stemmer -> lunr.ru.stemmer

  // "Почты DNS" -> "Почты DNS почт". Words with lunr syntax (+ - ~ ^ : * ") and words inside
  // quotes are left alone; Latin words and numbers too.
  function expand(query) {
    const typed = new Set(query.toLowerCase().split(/\s+/));
    const added = {};
    query.replace(/"[^"]*"/g, " ").split(/\s+/).forEach((part) => {
      if (!part || /^[+-]|[~^:*"]/.test(part)) return;
      (part.toLowerCase().match(/[\u0400-\u04ff]+/g) || []).forEach((word) => {
        const stem = self.lunr.ru.stemmer(word);
        if (stem.length >= MIN_STEM && stem !== word && !typed.has(stem) && !(stem in added)) added[stem] = word;
      });
    });
    const stems = Object.keys(added);
    return { query: stems.length ? query + " " + stems.join(" ") : query, added };
  }

  // Each result item has terms {term: matched}. Keep a matched stem (it feeds the ?h= highlight),
  // mark its typed word as matched, drop unmatched stems.
  function fixTerms(result, added) {
    if (!added || !result || !result.items) return;
    result.items.forEach((group) => {
      group.forEach((item) => {
        const terms = item.terms || {};
        Object.keys(added).forEach((stem) => {
          if (!terms[stem]) delete terms[stem];
          else if (added[stem] in terms) terms[added[stem]] = true;
        });
      });
    });
  }
})();
