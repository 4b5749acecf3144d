"""Catalog tooling: ``python -m dashboard.i18n update|check`` (``make i18n`` runs both)."""

from __future__ import annotations

import argparse
import sys

from dashboard.i18n.extract import TARGET_LANGUAGES, TEMPLATE, check_catalogs, update_catalogs


def main(argv: list[str] | None = None) -> int:
    """Extract the messages and update the catalogs, or list what is left to translate."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.i18n", description=__doc__)
    parser.add_argument("command", choices=["update", "check"])
    args = parser.parse_args(argv)
    if args.command == "update":
        template = update_catalogs()
        print(
            f"{TEMPLATE.name} : {len(template)} messages ; catalogues mis à jour : "
            + ", ".join(TARGET_LANGUAGES)
        )
    problems = check_catalogs()
    for problem in problems:
        print(problem)
    print(f"{len(problems)} traduction(s) à faire ou à vérifier")
    return 1 if problems and args.command == "check" else 0


if __name__ == "__main__":
    sys.exit(main())
