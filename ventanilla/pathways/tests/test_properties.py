"""evaluate() never raises, whatever the profile, for every shipped rule."""

import datetime
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ventanilla.pathways.evaluator import evaluate
from ventanilla.pathways.rules import RULES_DIR, load_rules
from ventanilla.pathways.schema import PERMIT_TYPES

RULES = load_rules(RULES_DIR)
COUNTRIES = sorted({rule["country"] for rule in RULES})

garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
# The full date range: a permit expiring on 0001-01-02 once crashed the deadline arithmetic.
some_date = st.one_of(
    st.dates(datetime.date.min, datetime.date.max).map(lambda d: d.isoformat()),
    st.dates(datetime.date.min, datetime.date.max),
    st.sampled_from([datetime.date.min, datetime.date.max]).map(lambda d: d.isoformat()),
    st.datetimes(),
    st.sampled_from(["", "2024-02-30", "yesterday", "2024-13-01"]),
    garbage,
)
tri = st.one_of(st.booleans(), st.just("unknown"), garbage)
document = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.one_of(
                st.sampled_from(
                    ["passport", "ppt", "pep", "pip", "ptp", "national_id", "safe_conduct", "visa"]
                ),
                garbage,
            ),
            "issuing_country": st.one_of(st.sampled_from(["VE", "CO"]), garbage),
            "issued": some_date,
            "expires": some_date,
        },
    ),
    garbage,
)
documents = st.one_of(st.lists(document, max_size=4), garbage)
child = st.one_of(
    st.fixed_dictionaries({}, optional={"birth_date": some_date, "documents": documents}), garbage
)
profile = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "nationalities": st.one_of(
                st.lists(
                    st.one_of(st.sampled_from(["VE", "CO", "MX", "cl", "BR"]), garbage), max_size=3
                ),
                garbage,
            ),
            "birth_date": some_date,
            "entry_date": some_date,
            "entry_mode": st.one_of(st.sampled_from(["regular", "irregular", "unknown"]), garbage),
            "documents": documents,
            "criminal_record": tri,
            "children": st.one_of(st.lists(child, max_size=3), garbage),
            "has_job_offer": tri,
            "asylum_claim": tri,
            "in_country_since": some_date,
            "city_arrival_date": some_date,
            "current_residence_permit": st.one_of(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "type": st.one_of(st.sampled_from(PERMIT_TYPES), garbage),
                        "expires": some_date,
                    },
                ),
                garbage,
            ),
        },
    ),
    garbage,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=profile,
    country=st.sampled_from(COUNTRIES),
    on=st.dates(datetime.date.min, datetime.date.max),
    lang=st.sampled_from(["es", "en", "pt", "xx"]),
)
def test_evaluate_never_raises_and_always_explains(profile, country, on, lang):
    results = evaluate(RULES, profile, country=country, on=on, lang=lang)
    assert len(results) == sum(rule["country"] == country for rule in RULES)
    for result in results:
        assert result["status"] in {"eligible", "may_be_eligible", "not_eligible", "closed"}
        assert result["reasons"]
        assert (result["status"] == "may_be_eligible") == bool(result["missing"])
        assert (result["status"] == "closed") == bool(result["closed_since"])
        json.dumps(result)  # the CLI prints it as is
