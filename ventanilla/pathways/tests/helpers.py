import datetime
from pathlib import Path

import yaml

from ventanilla.pathways.rules import load_rule

D = datetime.date


def text(word: str) -> dict:
    return {"es": f"{word} (es)", "en": word, "pt": f"{word} (pt)"}


def rule_data(**overrides) -> dict:
    """A minimal valid rule for host country XX; overrides replace top-level keys."""
    data = {
        "id": "test_rule",
        "country": "XX",
        "names": text("Test pathway"),
        "summary": text("A pathway for tests"),
        "instrument": {"name": "Test Act", "date": D(2020, 1, 1), "url": "https://example.org/"},
        "effective": {"from": D(2020, 1, 1)},
        "conditions": [{"nationality_in": ["VE"]}],
        "grants": {"work": True, "health": True, "education": True, "duration": text("2 years")},
        "documents": [text("Passport")],
        "where": text("Migration office"),
        "last_reviewed": D(2026, 11, 1),
    }
    data.update(overrides)
    return data


def write_rule(directory: Path, data: dict, name: str | None = None) -> Path:
    path = Path(directory) / f"{name or data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_rule(tmp_path: Path, **overrides) -> dict:
    """A rule as the loader returns it (validated, dates parsed)."""
    return load_rule(write_rule(tmp_path, rule_data(**overrides)))
