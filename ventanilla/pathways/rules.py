"""Load and validate the pathway rule files (one YAML file per pathway). Pure, no Django.

A rule is returned as a plain dict shaped like its file, with every date parsed to
`datetime.date`. Any problem raises RuleError naming the file and the field.
"""

import datetime
import re
from collections.abc import Iterable
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from ventanilla.pathways.schema import CONDITION_TYPES, RULE_SCHEMA

RULES_DIR = Path(__file__).resolve().parent / "rules"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_KEYS = {"date", "from", "to", "since", "valid_on", "open_until", "last_reviewed"}
_validator = Draft202012Validator(RULE_SCHEMA)


class RuleError(ValueError):
    """One or more rule files are invalid; each message starts with the file name."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so the schema sees and checks them."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def field_path(parts: Iterable) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def validate_rule(data, *, file_name: str) -> list[str]:
    """Every problem of one parsed file, as "file: field: message" lines."""
    errors = [
        f"{file_name}: {field_path(error.absolute_path)}: {error.message}"
        for error in sorted(_validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
    if errors:
        return errors
    for path, condition in _walk_conditions(data["conditions"], ["conditions"]):
        kinds = [key for key in condition if key in CONDITION_TYPES]
        if len(kinds) != 1:
            errors.append(
                f"{file_name}: {field_path(path)}: needs exactly one condition type "
                f"({', '.join(CONDITION_TYPES)}), found {kinds or 'none'}"
            )
    expected_id = Path(file_name).stem
    if data["id"] != expected_id:
        errors.append(f"{file_name}: id: {data['id']!r} must equal the file name {expected_id!r}")
    _parse_dates(data, [], file_name, errors)
    if not errors:
        errors.extend(_check_ranges(data, file_name))
    return errors


def load_rule(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleError([f"{path.name}: (file): cannot read YAML: {exc}"]) from exc
    errors = validate_rule(data, file_name=path.name)
    if errors:
        raise RuleError(errors)
    return data


def load_rules(directory: Path = RULES_DIR) -> list[dict]:
    """All rules of a directory, sorted by id; the errors of every bad file at once."""
    rules, errors = [], []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            rules.append(load_rule(path))
        except RuleError as exc:
            errors.extend(exc.errors)
    if errors:
        raise RuleError(errors)
    return rules


def _walk_conditions(conditions, path):
    for index, condition in enumerate(conditions):
        here = [*path, index]
        yield here, condition
        for key in ("any_of", "all_of"):
            if key in condition:
                yield from _walk_conditions(condition[key], [*here, key])
        if "not" in condition:
            yield from _walk_conditions([condition["not"]], [*here, "not"])


def _parse_dates(node, path, file_name, errors):
    """Replace ISO date strings by dates in place (the schema already checked their shape)."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        if isinstance(value, dict | list):
            _parse_dates(value, [*path, key], file_name, errors)
        elif key in _DATE_KEYS and isinstance(value, str) and _DATE_RE.match(value):
            try:
                node[key] = datetime.date.fromisoformat(value)
            except ValueError:
                errors.append(f"{file_name}: {field_path([*path, key])}: {value!r} is not a date")


def _check_ranges(data, file_name):
    spans = [("effective", data["effective"])]
    spans += [
        (f"application_windows[{i}]", w) for i, w in enumerate(data.get("application_windows", []))
    ]
    for path, condition in _walk_conditions(data["conditions"], ["conditions"]):
        if "date_between" in condition:
            spans.append((field_path([*path, "date_between"]), condition["date_between"]))
    errors = [
        f"{file_name}: {name}: 'from' {span['from']} is after 'to' {span['to']}"
        for name, span in spans
        if "to" in span and span["from"] > span["to"]
    ]
    for path, condition in _walk_conditions(data["conditions"], ["conditions"]):
        bounds = condition.get("age_between", {})
        if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
            errors.append(f"{file_name}: {field_path([*path, 'age_between'])}: min is above max")
    return errors
