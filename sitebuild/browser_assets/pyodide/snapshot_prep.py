"""Runs inside Pyodide (under Node) right before the memory snapshot is taken.

Imports everything the engine will need, so a restored page has it in memory, and scrubs what the
build machine leaked into the interpreter (environment variables, paths) so the snapshot carries
nothing of the host.
"""

import importlib
import os
import sys

import triage  # noqa: F401  (installed from the bytecode wheel by compile.mjs)

for name in (
    "triage.api",
    "triage.draft",
    "triage.lint",
    "triage.match",
    "triage.policy",
    "triage.render",
    "triage.route",
    "triage.secrets",
    "triage.text",
    "triage.vocab",
):
    importlib.import_module(name)

os.environ.clear()
os.environ.update(
    {
        "HOME": "/home/pyodide",
        "USER": "web_user",
        "LOGNAME": "web_user",
        "PATH": "/",
        "PWD": "/home/pyodide",
        "LANG": "C.UTF-8",
        "_": "/",
    }
)
sys.executable = ""
sys.argv = [""]
