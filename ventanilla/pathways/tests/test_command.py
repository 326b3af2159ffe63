import json
from io import StringIO

import pytest
from django.core.management import call_command

from ventanilla.pathways.tests.helpers import rule_data, write_rule


def call(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("pathways", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def call_failing(*args) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("pathways", *args, stdout=StringIO(), stderr=err)
    assert exc.value.code == 2
    return err.getvalue()


@pytest.fixture
def profile_file(tmp_path):
    def write(content) -> str:
        path = tmp_path / "profile.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def test_evaluate_prints_a_json_list(profile_file):
    profile = profile_file({"nationalities": ["MX"], "birth_date": "2000-05-01"})
    out, err = call(
        "evaluate", "--profile", profile, "--country", "CO", "--date", "2026-11-21", "--lang", "en"
    )
    results = {r["pathway"]: r for r in json.loads(out)}
    assert err == ""
    work_holiday = results["pa_work_holiday_co"]
    assert {"pathway", "status", "missing", "reasons", "deadlines", "source"} <= set(work_holiday)
    assert work_holiday["status"] == "eligible"
    assert results["co_pep_tutor"]["status"] == "closed"
    assert all(r["pathway"] for r in results.values())


def test_evaluate_default_language_is_spanish(profile_file):
    out, _ = call(
        "evaluate", "--profile", profile_file({}), "--country", "co", "--date", "2026-11-21"
    )
    results = {r["pathway"]: r for r in json.loads(out)}
    assert results["pa_work_holiday_co"]["missing"] == ["nationalities", "birth_date"]
    assert results["pa_work_holiday_co"]["reasons"][0].startswith(
        "? Tiene la nacionalidad de CL, MX o PE"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ([1, 2], "malformed profile"),
        ({"nationalities": "VE"}, "nationalities: 'VE' is not of type 'array'"),
        ({"birth_date": "21/11/2000"}, "birth_date: '21/11/2000' does not match"),
        ({"entry_date": "2025-02-30"}, "entry_date: '2025-02-30' is not a date"),
        ({"documents": [{"issued": "2020-01-01"}]}, "documents[0]: 'type' is a required property"),
        ({"entry_mode": "by air"}, "entry_mode: 'by air' is not one of"),
        ({"favourite_colour": "blue"}, "Additional properties are not allowed"),
        # Unknown keys inside nested objects are refused too, naming where they are.
        (
            {"documents": [{"type": "ppt", "expiry": "2031-05-30"}]},
            "documents[0]: Additional properties are not allowed ('expiry'",
        ),
        (
            {"children": [{"birth_date": "2015-01-01", "name": "Ana"}]},
            "children[0]: Additional properties are not allowed ('name'",
        ),
        (
            {"current_residence_permit": {"type": "visa", "expiry": "2027-01-01"}},
            "current_residence_permit: ",
        ),
        (
            {"current_residence_permit": {"type": "tourist", "expires": "2027-01-01"}},
            "current_residence_permit: ",
        ),
    ],
)
def test_a_malformed_profile_exits_2(profile_file, content, message):
    err = call_failing(
        "evaluate", "--profile", profile_file(content), "--country", "CO", "--date", "2026-11-21"
    )
    assert message in err


def test_a_missing_profile_file_exits_2(tmp_path):
    err = call_failing(
        "evaluate",
        "--profile",
        str(tmp_path / "nope.json"),
        "--country",
        "CO",
        "--date",
        "2026-11-21",
    )
    assert "cannot read profile" in err


def test_an_unknown_country_exits_2(profile_file):
    err = call_failing(
        "evaluate", "--profile", profile_file({}), "--country", "ZZ", "--date", "2026-11-21"
    )
    assert "unknown country 'ZZ'" in err and "CO" in err


def test_a_bad_date_exits_2(profile_file):
    err = call_failing(
        "evaluate", "--profile", profile_file({}), "--country", "CO", "--date", "tomorrow"
    )
    assert "--date 'tomorrow' is not a date" in err


@pytest.mark.parametrize("date", ["20261121", "2026-W47-6", "2026-11-21T00:00"])
def test_a_date_not_written_yyyy_mm_dd_exits_2(profile_file, date):
    # Python's fromisoformat accepts these; the CLI promises YYYY-MM-DD only.
    err = call_failing("evaluate", "--profile", profile_file({}), "--country", "CO", "--date", date)
    assert f"--date {date!r} is not a date (YYYY-MM-DD)" in err


def test_a_permit_expiring_in_year_1_gives_results_not_a_crash(profile_file):
    profile = profile_file(
        {
            "nationalities": ["BO"],
            "current_residence_permit": {"type": "residence_permit", "expires": "0001-01-02"},
        }
    )
    out, err = call("evaluate", "--profile", profile, "--country", "AR", "--date", "2026-11-21")
    results = {r["pathway"]: r for r in json.loads(out)}
    assert results["mercosur_residence_ar"]["status"] == "eligible"
    assert results["mercosur_residence_ar"]["deadlines"] == []


def test_validate_the_shipped_rules():
    out, _ = call("validate")
    assert "rule file(s) valid" in out


def test_validate_exits_2_naming_file_and_field(tmp_path):
    write_rule(tmp_path, rule_data(id="bad_rule", conditions=[{"age_between": {"min": "x"}}]))
    err = call_failing("validate", "--rules-dir", str(tmp_path))
    assert "bad_rule.yaml: conditions[0].age_between.min: 'x' is not of type 'integer'" in err


def test_evaluate_with_bad_rules_exits_2(tmp_path, profile_file):
    write_rule(tmp_path, rule_data(id="bad_rule", country="Colombia"))
    err = call_failing(
        "evaluate",
        "--profile",
        profile_file({}),
        "--country",
        "CO",
        "--date",
        "2026-11-21",
        "--rules-dir",
        str(tmp_path),
    )
    assert "bad_rule.yaml: country:" in err
