"""Debian Chromium as the bench and the browser tests drive it, and page probes they share."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Counts the engine workers a page starts.
WORKER_PROBE = """
(() => {
  const Real = window.Worker;
  window.__engineWorkers = 0;
  window.Worker = class extends Real {
    constructor(url, options) {
      if (String(url).includes("/wizard/worker.js")) window.__engineWorkers += 1;
      super(url, options);
    }
  };
})();
"""
