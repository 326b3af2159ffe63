"""Regular pathways from the command line.

    manage.py pathways evaluate --profile profile.json --country CO --date 2026-11-21 --lang es
    manage.py pathways validate

Errors (bad rule files, malformed profile, unknown country) go to stderr with exit code 2.
"""

import datetime
import json
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from jsonschema import Draft202012Validator

from ventanilla.pathways import evaluator
from ventanilla.pathways.rules import RULES_DIR, RuleError, field_path, load_rules
from ventanilla.pathways.schema import PROFILE_SCHEMA

# Python also reads "20261121" or "2026-W47-6" as dates; a profile writes YYYY-MM-DD only.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Command(BaseCommand):
    help = "Evaluate a profile against the regular pathways of a country, or validate the rules."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate = sub.add_parser("evaluate", help="Print the pathways of a country as JSON.")
        evaluate.add_argument("--profile", required=True, help="Path of a JSON profile.")
        evaluate.add_argument("--country", required=True, help="ISO alpha-2 host country.")
        evaluate.add_argument("--date", required=True, help="Evaluation date, YYYY-MM-DD.")
        evaluate.add_argument("--lang", default="es", choices=evaluator.LANGUAGES)
        evaluate.add_argument("--stale-after-days", type=int, default=evaluator.STALE_AFTER_DAYS)
        evaluate.add_argument("--rules-dir", default=str(RULES_DIR), help="For tests and drafts.")
        validate = sub.add_parser("validate", help="Load every rule file; exit 2 on error.")
        validate.add_argument("--rules-dir", default=str(RULES_DIR))

    def handle(self, *args, action, rules_dir, **options):
        try:
            rules = load_rules(Path(rules_dir))
        except RuleError as exc:
            self._fail(str(exc))
        if action == "validate":
            self.stdout.write(f"{len(rules)} rule file(s) valid")
            return
        on = self._parse_date(options["date"])
        profile = self._read_profile(options["profile"])
        country = options["country"].upper()
        countries = sorted({rule["country"] for rule in rules})
        if country not in countries:
            self._fail(
                f"unknown country {options['country']!r}: no pathway rules for it "
                f"(known: {', '.join(countries) or 'none'})"
            )
        results = evaluator.evaluate(
            rules,
            profile,
            country=country,
            on=on,
            lang=options["lang"],
            stale_after_days=options["stale_after_days"],
        )
        self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))

    def _fail(self, message: str):
        self.stderr.write(f"pathways: {message}")
        sys.exit(2)

    def _parse_date(self, text: str) -> datetime.date:
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError(text)
            return datetime.date.fromisoformat(text)
        except ValueError:
            self._fail(f"--date {text!r} is not a date (YYYY-MM-DD)")

    def _read_profile(self, path: str) -> dict:
        try:
            profile = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            self._fail(f"cannot read profile {path}: {exc.strerror or exc}")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._fail(f"profile {path} is not valid JSON: {exc}")
        errors = sorted(
            Draft202012Validator(PROFILE_SCHEMA).iter_errors(profile),
            key=lambda e: list(map(str, e.path)),
        )
        if errors:
            lines = [f"{path}: {field_path(e.absolute_path)}: {e.message}" for e in errors]
            self._fail("malformed profile\n" + "\n".join(lines))
        for field, value in _dated_fields(profile):
            try:
                if not _ISO_DATE.fullmatch(value):
                    raise ValueError(value)
                datetime.date.fromisoformat(value)
            except ValueError:
                self._fail(
                    f"malformed profile\n{path}: {field}: {value!r} is not a date (YYYY-MM-DD)"
                )
        return profile


def _dated_fields(node, path=()):
    """(field path, value) of every date string in a profile, to reject e.g. 2025-02-30."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        if isinstance(value, dict | list):
            yield from _dated_fields(value, (*path, key))
        elif isinstance(value, str) and key in (
            "birth_date",
            "entry_date",
            "in_country_since",
            "city_arrival_date",
            "issued",
            "expires",
        ):
            yield field_path((*path, key)), value
