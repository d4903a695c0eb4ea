"""The `mileage` command: `mileage rules eval ...` (the rules engine) and `mileage manage ...`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["rules"]:
        from mileage.rules.cli import main as rules_main

        return rules_main(args[1:])
    if args[:1] == ["manage"]:
        import os

        from django.core.management import execute_from_command_line

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage.site.settings")
        execute_from_command_line(["mileage manage", *args[1:]])
        return 0
    print(
        "usage: mileage rules eval [--jsonl] [--explain] [FILE] | mileage manage <command>",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
