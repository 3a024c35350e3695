"""Command-line entry point: generate the reference pages without MkDocs.

``apiref generate --specs specs --out build/apiref`` writes, below ``--out``, one Markdown page
per API version whose body is the rendered HTML (any generator that reads Markdown with raw
HTML can publish it, Zensical among them), the ``latest`` page and the raw spec downloads.
``apiref check`` reads and checks the spec folder only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from .errors import InputError, InputErrors
from .site import REFERENCE_MARKER, ReferenceSite, SiteOptions


def _options(args: argparse.Namespace) -> SiteOptions:
    specs = args.specs or os.environ.get("IECHOR_API_SPECS") or "specs"
    return SiteOptions(
        specs_dir=Path(specs),
        version_page=args.version_page,
        latest_page=args.latest_page or None,
        search=args.search,
    )


def _write(out: Path, relative: str, data: str | bytes) -> None:
    target = (out / relative).resolve()
    if out.resolve() not in target.parents:
        raise InputError(f"refusing to write outside the output folder: {relative!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        target.write_bytes(data)
    else:
        target.write_text(data, encoding="utf-8")


def generate(args: argparse.Namespace) -> int:
    """Write the generated pages and downloads into ``args.out``."""
    site = ReferenceSite.load(_options(args))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for page in site.pages:
        text = page.markdown
        if page.source.kind == "spec":
            rendered = site.render(page)
            for problem in rendered.broken_links:
                print(
                    f"warning: {page.source.label}: link to '#{problem.fragment}' in "
                    f"{problem.context} matches no element",
                    file=sys.stderr,
                )
            text = text.replace(REFERENCE_MARKER, rendered.html)
        _write(out, page.src_uri, text)
    for item in site.files:
        target = (out / item.src_uri).resolve()
        if out.resolve() not in target.parents:
            raise InputError(f"refusing to write outside the output folder: {item.src_uri!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(item.path, target)
    print(f"Wrote {len(site.pages)} pages and {len(site.files)} downloads to {out}")
    return 0


def check(args: argparse.Namespace) -> int:
    """Read and check every spec; print a summary."""
    site = ReferenceSite.load(_options(args))
    for version in site.versions:
        spec = site.specs.get(version)
        if spec is None:
            print(f"v{version}: reference written as Markdown")
        else:
            print(
                f"v{version}: {len(spec.operations)} operations, "
                f"{len(spec.definitions)} definitions, {len(spec.tags)} tags"
            )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``apiref`` command."""
    # The spec and page options are accepted after the subcommand, where users type them.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--specs", help="spec folder (default: $IECHOR_API_SPECS, else 'specs')"
    )
    common.add_argument(
        "--version-page", default="engine/api/v{api}/",
        help="URL of each version's page; {api} is the API version (default: %(default)s)",
    )
    common.add_argument(
        "--latest-page", default="engine/api/latest/",
        help="URL of the copy of the newest page; empty for none (default: %(default)s)",
    )
    common.add_argument(
        "--search", choices=("newest", "all", "none"), default="newest",
        help="which pages are marked for the site search (default: %(default)s)",
    )
    parser = argparse.ArgumentParser(
        prog="apiref", description="Generate the iEchor Engine API reference pages."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    generate_parser = commands.add_parser(
        "generate", parents=[common], help="write pages into a folder"
    )
    generate_parser.add_argument("--out", required=True, help="output folder")
    generate_parser.set_defaults(run=generate)
    check_parser = commands.add_parser("check", parents=[common], help="check the spec folder only")
    check_parser.set_defaults(run=check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (InputError, InputErrors) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
