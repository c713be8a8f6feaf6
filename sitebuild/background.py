"""What the default `build.py` leaves to a background process (`python -m sitebuild.background`), so that
nothing slow stands between a writer's edit and the built site:

1. the wizard's bytecode and memory snapshot, when they are not cached yet (a fresh clone or an engine
   change: Node, 3-5 s): the build gives the site the plain start-up meanwhile (the runtime and the
   source wheel, as `serve` does), and the job rebuilds the site as soon as Node has cached them, unless
   a newer build has replaced that site by then;
2. the final .br/.gz encodings (sitebuild/precompress.py: brotli 11 on the runtime is ~30 s of CPU, once
   per machine; the build wrote fast ones);
3. removing the previous site versions (renamed to build/.trash-*: 50 MB take a tenth of a second).

The job is niced and runs in its own session (it outlives the build, and Ctrl+C in the terminal does not
reach it); Node runs one at a time per checkout (build/.node.lock), the rebuild under the build lock and
the compression one at a time per cache. Every job holds build/.background (shared) from before its start
to its end, so `wait(build_dir)` returns once none is left (bench/build_bench.py, tests). Its messages go
to build/background.log.

SITEBUILD_BACKGROUND=0 (the test suite and CI set it) starts no job: the build runs Node itself and keeps
the fast encodings, so nothing outlives a test. `build.py --release` starts none either: it waits for
Node and for the final encodings (deploys, bench/run.py).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pathlib
import shutil
import subprocess
import sys
import time

from .project import Project

ENV = "SITEBUILD_BACKGROUND"
#: Held (shared) by every job of a checkout, from before it starts until it ends.
PENDING = ".background"
LOG = "background.log"
#: Builds, servers and editors come first.
NICE = 10


def enabled() -> bool:
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "", "no", "false", "off")


def start(
    project: Project,
    site_dir: pathlib.Path,
    link: pathlib.Path,
    *,
    node: bool,
    upgrade: bool = True,
    remove: list[pathlib.Path] = (),
) -> bool:
    """Start the job for the site just built (site_dir, which `link` points to). node: the site has the
    plain start-up; make the bytecode, then rebuild. upgrade: make the final .br/.gz. remove: old site
    versions (renamed) to remove first. False when jobs are disabled (SITEBUILD_BACKGROUND=0)."""
    if not enabled():
        return False
    project.build.mkdir(parents=True, exist_ok=True)
    # Locked here and inherited by the job: wait() cannot slip in between the start and the job's first step.
    pending = open(project.build / PENDING, "a")  # noqa: SIM115 - handed to the job, closed below
    try:
        fcntl.flock(pending, fcntl.LOCK_SH)
        # Niced from its first instruction (nice(1)), so that even its start-up never competes with the build.
        nice = shutil.which("nice")
        cmd = [nice, "-n", str(NICE)] if nice else []
        cmd += [sys.executable, "-m", "sitebuild.background", str(site_dir), str(link)]
        cmd += ["--providers", str(project.providers), "--pending-fd", str(pending.fileno())]
        cmd += [arg for path in remove for arg in ("--remove", str(path))]
        cmd += (["--node"] if node else []) + (["--upgrade"] if upgrade or node else [])
        with open(project.build / LOG, "a") as log:
            subprocess.Popen(
                cmd,
                cwd=project.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                pass_fds=(pending.fileno(),),
            )
    finally:
        pending.close()  # the job's copy keeps the lock
    return True


def wait(build_dir: pathlib.Path) -> None:
    """Return when no background job of this checkout (build_dir = its build/) is running."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / PENDING, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)


def run(project: Project, site_dir: pathlib.Path, link: pathlib.Path, node: bool, upgrade: bool) -> None:
    from . import browser_assets, precompress
    from .site import build_site

    if node:
        browser_assets.build(project)  # Node; the result is cached for every later build
        if not precompress.current(site_dir, link):
            return  # a newer build replaced the site: it took the bytecode if it was ready, or has its own job
        built = build_site(project, link, node=True)
        if built is None:
            return  # the policies have problems now (reported): the next build will do
        site_dir = built.target
        print(f"{time.strftime('%H:%M:%S')} rebuilt {link} with the wizard's bytecode", file=sys.stderr)
    if upgrade:
        precompress.upgrade(site_dir, project.cache / "compress", link)


def main(argv: list[str] | None = None) -> int:
    from . import children
    from .errors import BuildError, Interrupted

    parser = argparse.ArgumentParser(description="what the default build.py leaves to the background")
    parser.add_argument("site_dir", type=pathlib.Path, help="the site version the build made (build/site-<n>)")
    parser.add_argument("link", type=pathlib.Path, help="the site symlink: stop once it points elsewhere")
    parser.add_argument("--providers", default="providers")
    parser.add_argument("--node", action="store_true", help="make the bytecode, then rebuild the site")
    parser.add_argument("--upgrade", action="store_true", help="make the final .br/.gz of the site")
    parser.add_argument("--pending-fd", type=int, help="an inherited descriptor holding build/.background")
    parser.add_argument("--remove", type=pathlib.Path, action="append", default=[], help="an old site version")
    args = parser.parse_args(argv)
    if os.nice(0) < NICE:  # started without nice(1)
        with contextlib.suppress(OSError):
            os.nice(NICE - os.nice(0))
    for path in args.remove:
        shutil.rmtree(path, ignore_errors=True)
    try:
        with children.on_signals():
            run(Project.here(providers=args.providers), args.site_dir, args.link, args.node, args.upgrade)
    except (BuildError, OSError, Interrupted, KeyboardInterrupt) as exc:
        print(f"{time.strftime('%H:%M:%S')} sitebuild.background: stopped: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.pending_fd is not None:
            with contextlib.suppress(OSError):
                os.close(args.pending_fd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
