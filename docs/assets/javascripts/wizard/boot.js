// Started from the wizard page's <head> (overrides/main.html: an async module, fetched beside its
// imports while the head is parsed), it starts the engine as soon as the wizard's config has been
// parsed, without waiting for Material's bundle to run and for the loader (wizard.js, a deferred
// module at the end of the body). If the config is not parsed yet, it does nothing: the loader
// starts the engine then. Either way there is one engine (engine.js keeps one per page load).
import { readConfig, startEngine } from "./preload.js";

const root = document.querySelector("[data-triage]");
if (root && root.querySelector("template[data-triage-config]")) {
  try {
    const provider = new URLSearchParams(location.search).get("provider"); // a deep link's
    startEngine(readConfig(root), new URL("../../../", import.meta.url).href, provider); // this file: assets/javascripts/wizard/
  } catch {
    // the loader starts it again and shows what went wrong
  }
}
