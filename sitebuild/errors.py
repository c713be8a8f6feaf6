"""One error type for the build: every expected failure is a BuildError with a message for the person
running it (printed as is, exit status 1). Anything else is a bug and keeps its traceback."""

from __future__ import annotations


class BuildError(Exception):
    """A build step failed for a reason the message explains."""


class PolicyProblems(BuildError):
    """providers/*.yaml do not validate or their routing tests fail (problems: positioned messages)."""

    def __init__(self, problems: list) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)) or "the policies do not validate")


class RuntimeMissing(BuildError):
    """node_modules/pyodide is missing or not the version package.json pins."""


class NodeMissing(BuildError):
    """node is not installed (the browser-assets stage runs Pyodide under Node)."""


class BytecodeError(BuildError):
    """Node or Pyodide failed while compiling the bytecode or making the snapshot."""


class MkdocsError(BuildError):
    """mkdocs build --strict failed (its warnings were printed above)."""


class Interrupted(BaseException):
    """The build got SIGTERM or SIGHUP; it stops after removing what it had started. Like KeyboardInterrupt
    (SIGINT) it is no Exception, so that the checker's catch-alls (a policy that crashes a stage becomes
    a positioned problem) never turn a signal into a policy problem: check now runs beside Node."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by signal {signum}")
