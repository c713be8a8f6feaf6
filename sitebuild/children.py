"""Child processes and signals: a build that dies takes its children (node, mkdocs serve) with it.

`on_signals()` turns SIGTERM and SIGHUP into `Interrupted` (SIGINT into KeyboardInterrupt, as usual),
so `with`/`finally` blocks remove temporary directories on every exit path. `run()` and `Child`
start a child in its own process group and kill the whole group when the caller stops for any
reason (an error, a signal, Ctrl+C).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys

from .errors import Interrupted

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def on_signals():
    """While inside: SIGTERM/SIGHUP raise Interrupted in the main thread."""

    def raise_interrupted(signum, _frame):
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, raise_interrupted) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def kill_group(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the child's process group, then SIGKILL what is left after `grace` seconds; reap it."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


_PRCTL = ctypes.CDLL(None).prctl if sys.platform == "linux" else None  # resolved before any fork
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    """Linux: the child gets SIGKILL when the build dies even by SIGKILL (no handler runs then)."""
    _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


def die_with_parent() -> None:
    """In a forked worker: die with this process even when it is killed outright (Linux; elsewhere nothing)."""
    if _PRCTL is not None:
        _die_with_parent()


#: Children inside their `with` (any thread): kill_all() stops them when the main thread is stopped.
_LIVE: set[Child] = set()


class Child(subprocess.Popen):
    """Popen in its own process group (a new session), killed with its group on leaving `with`."""

    def __init__(self, args, **kwargs):
        if _PRCTL is not None:
            kwargs.setdefault("preexec_fn", _die_with_parent)
        super().__init__(args, start_new_session=True, **kwargs)
        _LIVE.add(self)

    def __exit__(self, *exc):
        kill_group(self)
        _LIVE.discard(self)
        return super().__exit__(*exc)


def kill_all() -> None:
    """Kill every child still running (started by any thread): signals reach the main thread only, so a
    build stopped while a worker thread waits for Node kills Node here and the worker then cleans up."""
    for proc in list(_LIVE):
        kill_group(proc, grace=2.0)


def run(args, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    """subprocess.run (text, output captured) with the child in its own process group, which is killed
    when the call ends early: on timeout (subprocess.TimeoutExpired), Ctrl+C or Interrupted."""
    with Child(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs) as proc:
        out, err = proc.communicate(timeout=timeout)
        return subprocess.CompletedProcess(args, proc.returncode, out, err)
