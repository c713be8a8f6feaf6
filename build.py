#!/usr/bin/env python3
"""Build the help center: validate providers/*.yaml, generate pages and data, build the site.

python build.py            check + generate + mkdocs build --strict into site/ (needs node, see README)
python build.py --release  the same, waiting for maximum compression of .br/.gz (deploys)
python build.py check      validate policies and run their routing tests (exit 1 on problems)
python build.py compile    check, then write the compiled policies (build/data/*.json)
python build.py serve      build, then serve on 127.0.0.1:8000 and rebuild when a policy changes
python build.py new ID     write a commented skeleton providers/ID.yaml to fill in
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from sitebuild import children
from sitebuild.errors import BuildError, Interrupted, PolicyProblems
from sitebuild.project import Project

# Each command imports only its own stages: `check` stays quick (no Jinja2, no serve or site machinery) and the
# preview's build pays for no other command's imports.


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="build", choices=["build", "check", "compile", "serve", "new"])
    parser.add_argument("id", nargs="?", help="provider id (for new)")
    parser.add_argument("--providers", default="providers", help="folder with <id>.yaml policies")
    parser.add_argument("--site-dir", default="site", help="where the built site goes (build)")
    parser.add_argument(
        "--release",
        action="store_true",
        help="build: wait for maximum compression of .br/.gz (deploys); by default it is made in the background",
    )
    parser.add_argument("--addr", default="127.0.0.1:8000", help="host:port for serve")
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="check: problems as text lines on stderr, or one JSON document on stdout",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    project = Project.here(providers=args.providers)
    if args.command == "new":
        from sitebuild import scaffold

        return scaffold.new_command(project.providers, args.id)
    try:
        with children.on_signals():
            if args.command == "check":
                from sitebuild.check import check_command

                return check_command(project, args.format)
            if args.command == "compile":
                from sitebuild.data import compile_command

                return compile_command(project)
            if args.command == "serve":
                from sitebuild.serve import serve_command

                return serve_command(project, args.addr)
            from sitebuild.site import build_command

            return build_command(project, args.site_dir, release=args.release)
    except KeyboardInterrupt:
        print("build.py: interrupted; temporary files removed", file=sys.stderr)
        return 128 + signal.SIGINT
    except Interrupted as exc:
        print(f"build.py: stopped by {signal.Signals(exc.signum).name}; temporary files removed", file=sys.stderr)
        return 128 + exc.signum
    except PolicyProblems as exc:
        print(exc, file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
