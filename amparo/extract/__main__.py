"""``python -m amparo.extract [FILE|-] [--published YYYY-MM-DD] [--lang xx]``, the same as ``amparo extract``."""

from __future__ import annotations

import argparse
import sys

from amparo.extract.command import register


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m amparo.extract")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(["extract", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
