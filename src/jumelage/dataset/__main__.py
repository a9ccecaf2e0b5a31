"""`python -m jumelage.dataset build --sources DIR --out DIR`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_REPO = _PACKAGE.parent.parent


def default_sources() -> Path:
    env = os.environ.get("JUMELAGE_SOURCES")
    return Path(env) if env else (_REPO / ".." / "shared" / "data").resolve()


def default_out() -> Path:
    return _PACKAGE / "data" / "bundled"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jumelage.dataset")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the bundled dataset")
    build_cmd.add_argument(
        "--sources",
        type=Path,
        default=None,
        help="source folder (default: $JUMELAGE_SOURCES or ../shared/data)",
    )
    build_cmd.add_argument(
        "--out", type=Path, default=None, help="output folder (default: src/jumelage/data/bundled)"
    )
    measure_cmd = commands.add_parser(
        "measure", help="print the resolution figures of a written bundle (this or an earlier)"
    )
    measure_cmd.add_argument("bundle", type=Path, help="folder with the bundle's CSV files")
    measure_cmd.add_argument("--sources", type=Path, default=None, help="as for build")
    args = parser.parse_args(argv)
    if args.command == "measure":
        from jumelage.dataset.report import load_bundle, measure
        from jumelage.dataset.sources import read_network_members

        douzelage = read_network_members(args.sources or default_sources())
        print(measure(*load_bundle(args.bundle, douzelage)), end="")
        return 0
    from jumelage.dataset.build import build

    report = build(args.sources or default_sources(), args.out or default_out())
    print(
        f"{report.municipalities:,} municipalities, {report.links:,} links, "
        f"{report.uncertain:,} uncertain matches, {report.self_links:,} self-links dropped; "
        f"{report.duration_s:.0f} s -> {report.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
