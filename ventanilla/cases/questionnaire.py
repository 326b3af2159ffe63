"""Needs-assessment questionnaires defined as data, and validation of answers against them.

Pure Python (no Django import): the services, the forms, later the vulnerability index and
batch jobs read the same definitions. A definition is

    {"code": "needs", "version": 1, "title_es": ..., "sections": [
        {"id": "health", "label_es": ..., "label_en": ..., "label_pt": ..., "questions": [
            {"id": "health_affiliated", "type": "choice", "required": true,
             "label_es": ..., "label_en": ..., "label_pt": ...,
             "options": [{"value": "contributory", "label_es": ..., ...}, ...]}]}]}

Question types: choice (one option), multi (several options), boolean, number (optional
min/max), text, date (ISO "YYYY-MM-DD"). Answers are {question_id: value}; None, "" and []
mean "not answered". Errors are codes per question id, which the caller words:
unknown, type, option, required, range.
"""

import math
from collections.abc import Iterator
from datetime import date

TYPES = ("choice", "multi", "boolean", "number", "text", "date")
LANGUAGES = ("es", "en", "pt")
TEXT_MAX = 2000

UNKNOWN = "unknown"  # no such question in this version
TYPE = "type"  # the value has the wrong type for the question
OPTION = "option"  # an option that is not in the question's list
REQUIRED = "required"  # a required question has no answer
RANGE = "range"  # a number outside min/max, a text too long


def questions(definition: dict) -> Iterator[tuple[dict, dict]]:
    """(section, question) pairs in order."""
    for section in definition.get("sections", ()):
        for question in section.get("questions", ()):
            yield section, question


def question_map(definition: dict) -> dict[str, dict]:
    return {q["id"]: q for _s, q in questions(definition)}


def label(item: dict, language: str) -> str:
    """The item's label in the language, else Spanish, else its id or value."""
    return (
        item.get(f"label_{language}")
        or item.get("label_es")
        or str(item.get("id", item.get("value", "")))
    )


def is_blank(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _option_values(question: dict) -> set:
    return {o.get("value") for o in question.get("options", ())}


def _check(question: dict, value) -> str | None:
    kind = question.get("type")
    if kind == "choice":
        if not isinstance(value, str):
            return TYPE
        return None if value in _option_values(question) else OPTION
    if kind == "multi":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return TYPE
        if len(set(value)) != len(value):
            return OPTION
        return None if set(value) <= _option_values(question) else OPTION
    if kind == "boolean":
        return None if isinstance(value, bool) else TYPE
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return TYPE
        if isinstance(value, float) and not math.isfinite(value):
            return TYPE
        low, high = question.get("min"), question.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            return RANGE
        return None
    if kind == "text":
        if not isinstance(value, str):
            return TYPE
        return RANGE if len(value) > TEXT_MAX else None
    if kind == "date":
        if not isinstance(value, str) or len(value) != 10:
            return TYPE
        try:
            date.fromisoformat(value)
        except ValueError:
            return TYPE
        return None
    return TYPE


def validate(definition: dict, answers) -> dict[str, list[str]]:
    """Error codes per question id (empty: the answers are valid). Never raises."""
    if not isinstance(answers, dict):
        return {"__all__": [TYPE]}
    known = question_map(definition)
    errors: dict[str, list[str]] = {}
    for key, value in answers.items():
        question = known.get(key) if isinstance(key, str) else None
        if question is None:
            errors.setdefault(str(key), []).append(UNKNOWN)
            continue
        if is_blank(value):
            continue
        problem = _check(question, value)
        if problem:
            errors.setdefault(key, []).append(problem)
    for key, question in known.items():
        if question.get("required") and is_blank(answers.get(key)) and key not in errors:
            errors.setdefault(key, []).append(REQUIRED)
    return errors


def clean(definition: dict, answers: dict) -> dict:
    """The answers to keep: known questions that were answered, in the definition's order."""
    return {
        q["id"]: answers[q["id"]]
        for _s, q in questions(definition)
        if q["id"] in answers and not is_blank(answers[q["id"]])
    }


def definition_problems(definition: dict) -> list[str]:
    """What is wrong with a definition itself (for the shipped files and their tests)."""
    problems = []
    if not isinstance(definition.get("code"), str) or not isinstance(
        definition.get("version"), int
    ):
        problems.append("code (text) and version (integer) are required")
    seen: set[str] = set()
    for section in definition.get("sections", ()):
        for language in LANGUAGES:
            if not section.get(f"label_{language}"):
                problems.append(f"section {section.get('id')}: label_{language} missing")
        for question in section.get("questions", ()):
            qid = question.get("id")
            if not isinstance(qid, str) or not qid:
                problems.append(f"section {section.get('id')}: a question without id")
                continue
            if qid in seen:
                problems.append(f"{qid}: duplicate id")
            seen.add(qid)
            if question.get("type") not in TYPES:
                problems.append(f"{qid}: unknown type {question.get('type')!r}")
            for language in LANGUAGES:
                if not question.get(f"label_{language}"):
                    problems.append(f"{qid}: label_{language} missing")
            if question.get("type") in ("choice", "multi"):
                options = question.get("options") or []
                if not options:
                    problems.append(f"{qid}: no options")
                values = [o.get("value") for o in options]
                if len(set(values)) != len(values):
                    problems.append(f"{qid}: duplicate option values")
                for option in options:
                    for language in LANGUAGES:
                        if not option.get(f"label_{language}"):
                            problems.append(f"{qid}.{option.get('value')}: label_{language}")
    return problems
