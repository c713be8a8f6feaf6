#!/usr/bin/env python3
"""Build the help center: validate providers/*.yaml, generate pages and data, build the site.

    python build.py            check + generate + mkdocs build --strict into site/
    python build.py check      validate policies and run their routing tests (exit 1 on problems)
    python build.py compile    check, then write the compiled policies (build/data/*.json)
    python build.py serve      build, then serve on 127.0.0.1:8000 and rebuild when a policy changes
    python build.py new ID     write a commented skeleton providers/ID.yaml to fill in
"""

from __future__ import annotations

import argparse
import os
import sys

from sitebuild import pipeline, scaffold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="build", choices=["build", "check", "compile", "serve", "new"])
    parser.add_argument("id", nargs="?", help="provider id (for new)")
    parser.add_argument("--providers", default="providers", help="folder with <id>.yaml policies")
    parser.add_argument("--site-dir", default="site", help="where the built site goes (build)")
    parser.add_argument("--addr", default="127.0.0.1:8000", help="host:port for serve")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    project = pipeline.Project.here(providers=args.providers)
    if args.command == "new":
        return scaffold.new_command(project.providers, args.id)
    if args.command == "check":
        return pipeline.check_command(project)
    if args.command == "compile":
        return pipeline.compile_command(project)
    if args.command == "serve":
        return pipeline.serve_command(project, args.addr)
    return pipeline.build_command(project, args.site_dir)


if __name__ == "__main__":
    sys.exit(main())
