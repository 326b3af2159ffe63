import datetime

import pytest

from ventanilla.pathways.rules import RULES_DIR, RuleError, load_rule, load_rules
from ventanilla.pathways.tests.helpers import D, rule_data, write_rule


def errors_of(tmp_path, **overrides) -> str:
    path = write_rule(tmp_path, rule_data(**overrides))
    with pytest.raises(RuleError) as exc:
        load_rule(path)
    return str(exc.value)


def test_every_shipped_rule_file_is_valid():
    rules = load_rules(RULES_DIR)
    files = sorted(RULES_DIR.glob("*.yaml"))
    assert len(rules) == len(files) >= 3
    assert {r["id"] for r in rules} == {f.stem for f in files}


def test_the_three_example_rules_load_with_dates_parsed():
    by_id = {r["id"]: r for r in load_rules(RULES_DIR)}
    assert {"co_pep_tutor", "co_ppt", "pa_work_holiday_co"} <= set(by_id)
    pep = by_id["co_pep_tutor"]
    assert pep["closed"]["since"] == datetime.date(2026, 5, 1)
    assert pep["conditions"][1]["child_has_document"]["valid_on"] == D(2023, 12, 31)
    assert pep["last_reviewed"] == D(2026, 11, 1)


def test_a_valid_rule_loads(tmp_path):
    rule = load_rule(write_rule(tmp_path, rule_data()))
    assert rule["effective"]["from"] == D(2020, 1, 1)


def test_an_error_names_the_file_and_the_field(tmp_path):
    conditions = [
        {"nationality_in": ["VE"]},
        {"entry_mode_in": ["regular"]},
        {"age_between": {"min": "x", "max": 30}},
    ]
    message = errors_of(tmp_path, conditions=conditions)
    assert "test_rule.yaml: conditions[2].age_between.min: 'x' is not of type 'integer'" in message


def test_a_missing_field_is_named(tmp_path):
    data = rule_data()
    del data["where"]
    with pytest.raises(RuleError, match=r"test_rule.yaml: \(top level\): 'where' is a required"):
        load_rule(write_rule(tmp_path, data))


def test_a_missing_language_is_named(tmp_path):
    message = errors_of(tmp_path, names={"es": "Vía", "en": "Pathway"})
    assert "test_rule.yaml: names: 'pt' is a required property" in message


def test_an_unknown_field_is_rejected(tmp_path):
    assert "Additional properties are not allowed ('grant'" in errors_of(tmp_path, grant={})


def test_an_unknown_condition_is_rejected(tmp_path):
    message = errors_of(tmp_path, conditions=[{"speaks": ["es"]}])
    assert "test_rule.yaml: conditions[0]:" in message


def test_a_condition_needs_exactly_one_type(tmp_path):
    message = errors_of(
        tmp_path, conditions=[{"nationality_in": ["VE"], "entry_mode_in": ["regular"]}]
    )
    assert "test_rule.yaml: conditions[0]: needs exactly one condition type" in message
    message = errors_of(
        tmp_path, conditions=[{"any_of": [{"text": {"es": "a", "en": "a", "pt": "a"}}]}]
    )
    assert "test_rule.yaml: conditions[0].any_of[0]: needs exactly one condition type" in message


def test_a_nested_error_has_the_full_path(tmp_path):
    conditions = [
        {"not": {"any_of": [{"date_before": {"fact": "arrival", "date": D(2024, 1, 1)}}]}}
    ]
    message = errors_of(tmp_path, conditions=conditions)
    assert "conditions[0].not.any_of[0].date_before.fact: 'arrival' is not one of" in message


def test_an_impossible_date_is_named(tmp_path):
    path = write_rule(tmp_path, rule_data())
    path.write_text(
        path.read_text().replace("last_reviewed: 2026-11-01", "last_reviewed: 2026-02-30")
    )
    with pytest.raises(
        RuleError, match="test_rule.yaml: last_reviewed: '2026-02-30' is not a date"
    ):
        load_rule(path)


def test_a_date_that_is_not_iso_is_named(tmp_path):
    message = errors_of(tmp_path, effective={"from": "1 May 2020"})
    assert "test_rule.yaml: effective.from: '1 May 2020' does not match" in message


def test_the_id_must_match_the_file_name(tmp_path):
    path = write_rule(tmp_path, rule_data(), name="other_name")
    with pytest.raises(RuleError, match="other_name.yaml: id: 'test_rule' must equal"):
        load_rule(path)


def test_inverted_ranges_are_rejected(tmp_path):
    message = errors_of(
        tmp_path,
        effective={"from": D(2024, 1, 1), "to": D(2023, 1, 1)},
        conditions=[{"age_between": {"min": 30, "max": 18}}],
    )
    assert "test_rule.yaml: effective: 'from' 2024-01-01 is after 'to' 2023-01-01" in message
    assert "test_rule.yaml: conditions[0].age_between: min is above max" in message


def test_yaml_norway_trap_is_caught(tmp_path):
    # YAML 1.1 reads a bare NO as false: the schema must say so rather than let it through.
    path = write_rule(tmp_path, rule_data())
    path.write_text(path.read_text().replace("country: XX", "country: NO"))
    with pytest.raises(RuleError, match="test_rule.yaml: country: False is not of type 'string'"):
        load_rule(path)


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n")
    with pytest.raises(RuleError, match="broken.yaml: \\(file\\): cannot read YAML"):
        load_rule(path)


def test_all_bad_files_are_reported_at_once(tmp_path):
    write_rule(tmp_path, rule_data(id="one", country="x"))
    write_rule(tmp_path, rule_data(id="two", where={}))
    write_rule(tmp_path, rule_data(id="three"))
    with pytest.raises(RuleError) as exc:
        load_rules(tmp_path)
    assert [e.split(":")[0] for e in exc.value.errors] == [
        "one.yaml",
        "two.yaml",
        "two.yaml",
        "two.yaml",
    ]


def _load(tmp_path, **overrides):
    return load_rule(write_rule(tmp_path, rule_data(**overrides)))


def _text(word):
    return {"es": word, "en": word, "pt": word}


def test_needs_review_takes_a_text_in_every_language(tmp_path):
    rule = _load(tmp_path, conditions=[{"needs_review": _text("the family ties")}])
    assert rule["conditions"][0]["needs_review"]["en"] == "the family ties"
    with pytest.raises(RuleError, match=r"conditions\[0\]\.needs_review: 'pt' is a required"):
        _load(tmp_path, conditions=[{"needs_review": {"es": "x", "en": "x"}}])


def test_valid_now_and_valid_on_are_exclusive(tmp_path):
    rule = _load(tmp_path, conditions=[{"has_document": {"types": ["visa"], "valid_now": True}}])
    assert rule["conditions"][0]["has_document"]["valid_now"] is True
    both = {"types": ["visa"], "valid_now": True, "valid_on": "2020-01-01"}
    with pytest.raises(RuleError, match="has_document"):
        _load(tmp_path, conditions=[{"has_document": both}])


def test_follows_window_permit_types_are_known_types(tmp_path):
    window = {"before_expiry_days": 90, "permit_types": ["ppt", "residence_permit"]}
    rule = _load(tmp_path, follows=[{"text": _text("Next"), "window": window}])
    assert rule["follows"][0]["window"]["permit_types"] == ["ppt", "residence_permit"]
    bad = {"before_expiry_days": 90, "permit_types": ["tourist"]}
    with pytest.raises(RuleError, match=r"follows\[0\]\.window\.permit_types\[0\]"):
        _load(tmp_path, follows=[{"text": _text("Next"), "window": bad}])


def test_every_shipped_expiry_window_names_the_permit_it_follows():
    # Without permit_types any permit would date the window (a tourist visa opening a
    # MERCOSUR permanence window).
    windows = {
        rule["id"]: follow["window"]
        for rule in load_rules(RULES_DIR)
        for follow in rule.get("follows") or []
        if "window" in follow
    }
    assert windows
    assert {rule_id for rule_id, w in windows.items() if not w.get("permit_types")} == set()
    assert windows["co_ppt"]["permit_types"] == ["ppt"]
    assert windows["co_pep_tutor"]["permit_types"] == ["pep"]
    assert windows["mercosur_residence_ar"]["permit_types"] == ["residence_permit"]
    assert windows["andean_statute_co"]["permit_types"] == ["residence_permit"]
