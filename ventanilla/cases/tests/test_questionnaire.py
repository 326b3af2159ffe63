"""The questionnaire definition and the validation of answers (pure, no database)."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ventanilla.cases import questionnaire as qn

DEFINITION = json.loads(
    (Path(__file__).resolve().parents[1] / "questionnaires" / "needs_v1.json").read_text()
)
QUESTIONS = qn.question_map(DEFINITION)
REQUIRED = {
    "migration_status": "in_process",
    "health_affiliated": "none",
    "work_now": False,
    "income_monthly_range": "below_half_mw",
    "housing_type": "rented",
    "protection_feels_unsafe": False,
    "family_dependents": 2,
}


def test_the_shipped_questionnaire_is_well_formed():
    assert qn.definition_problems(DEFINITION) == []
    areas = [s["id"] for s in DEFINITION["sections"]]
    assert areas == [
        "documentation",
        "health",
        "education",
        "work",
        "income",
        "housing",
        "protection",
        "family",
    ]
    assert 20 <= len(QUESTIONS) <= 30


def test_required_answers_are_enough():
    assert qn.validate(DEFINITION, REQUIRED) == {}


def test_each_kind_of_error_is_reported_per_question():
    errors = qn.validate(
        DEFINITION,
        {
            **REQUIRED,
            "shoe_size": 42,
            "work_now": "yes",
            "migration_status": "martian",
            "doc_held": ["passport", "passport"],
            "family_dependents": 99,
            "protection_last_incident": "2024-02-30",
        },
    )
    assert errors == {
        "shoe_size": [qn.UNKNOWN],
        "work_now": [qn.TYPE],
        "migration_status": [qn.OPTION],
        "doc_held": [qn.OPTION],
        "family_dependents": [qn.RANGE],
        "protection_last_incident": [qn.TYPE],
    }


def test_a_missing_required_answer():
    answers = {k: v for k, v in REQUIRED.items() if k != "housing_type"}
    answers["work_now"] = None
    assert qn.validate(DEFINITION, answers) == {
        "housing_type": [qn.REQUIRED],
        "work_now": [qn.REQUIRED],
    }


def test_booleans_are_not_numbers_and_numbers_must_be_finite():
    assert qn.validate(DEFINITION, {**REQUIRED, "family_dependents": True}) == {
        "family_dependents": [qn.TYPE]
    }
    assert qn.validate(DEFINITION, {**REQUIRED, "family_dependents": float("nan")}) == {
        "family_dependents": [qn.TYPE]
    }


def test_clean_drops_blank_answers_and_keeps_the_definition_order():
    cleaned = qn.clean(DEFINITION, {**REQUIRED, "work_occupation": "", "doc_held": []})
    assert "work_occupation" not in cleaned and "doc_held" not in cleaned
    assert list(cleaned) == [q for q in QUESTIONS if q in cleaned]


def test_labels_fall_back_to_spanish():
    assert qn.label({"id": "x", "label_es": "Hola"}, "pt") == "Hola"
    assert qn.label(QUESTIONS["work_now"], "en") == "Working now?"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=10,
)
keys = st.sampled_from(sorted(QUESTIONS)) | st.text(max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=12) | json_values)
def test_validation_never_raises_on_arbitrary_input(answers):
    errors = qn.validate(DEFINITION, answers)
    assert isinstance(errors, dict)
    assert all(isinstance(v, list) and v for v in errors.values())


def _valid_answer(question):
    kind = question["type"]
    values = [o["value"] for o in question.get("options", ())]
    if kind == "choice":
        return st.sampled_from(values)
    if kind == "multi":
        return st.lists(st.sampled_from(values), unique=True)
    if kind == "boolean":
        return st.booleans()
    if kind == "number":
        return st.integers(question.get("min", -(10**6)), question.get("max", 10**6))
    if kind == "date":
        return st.dates().map(lambda d: d.isoformat())
    return st.text(max_size=200)


valid_answers = st.fixed_dictionaries(
    {k: _valid_answer(q) for k, q in QUESTIONS.items() if q.get("required")},
    optional={k: _valid_answer(q) for k, q in QUESTIONS.items() if not q.get("required")},
)


@settings(max_examples=200, deadline=None)
@given(valid_answers)
def test_valid_answers_validate(answers):
    assert qn.validate(DEFINITION, answers) == {}
    assert qn.validate(DEFINITION, qn.clean(DEFINITION, answers)) == {}
