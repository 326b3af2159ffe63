"""The public questionnaire (/pathways/): anonymous, GET only, no cookies, three languages."""

import datetime

import pytest
from django.utils import timezone

URL = "/pathways/"
VENEZUELAN = {"country": "CO", "nationality": "VE"}


def step(client, params, **extra):
    response = client.get(URL, params, **extra)
    assert response.status_code == 200
    return response


def answer(client, params, answers):
    """Submits the shown step of `params` with `answers`, carrying what the page carries."""
    response = step(client, params)
    assert "visible" in response.context, "expected a question step"
    data = {}
    for key in ("shown", "current"):
        data[key] = [str(v) for v in response.context[key]]
    for key, value in response.context["carried"]:
        data.setdefault(key, []).append(value)
    data.update(answers)
    return data


def visible(response):
    return [field.name for field in response.context["visible"]]


@pytest.mark.django_db
def test_it_works_for_anonymous_and_starts_with_country_and_nationality(client):
    response = step(client, {})
    assert visible(response) == ["country", "nationality", "nationality_2"]
    html = response.content.decode()
    assert 'method="get"' in html and "csrfmiddlewaretoken" not in html
    assert 'value="CO" selected' in html
    assert "<script>" not in html and "style=" not in html


ANSWERS = {
    "documents": ["passport"],
    "entry_mode": "irregular",
    "entry_date": "2020-06-01",
    "in_country_since": "2020-06-01",
    "city_arrival_date": "2020-06-01",
    "birth_date": "1990-05-31",
    "criminal_record": "no",
    "asylum_claim": "no",
    "has_job_offer": "no",
    "children_documents": [],
}


@pytest.mark.django_db
def test_a_venezuelan_reaches_results_with_the_colombian_routes(client):
    data = dict(VENEZUELAN)
    response = step(client, data)
    assert visible(response) and "country" not in visible(response)
    steps = 0
    while "groups" not in response.context:
        steps += 1
        assert steps < 6, "the questionnaire keeps asking"
        data = {**answer(client, data, {}), **{k: ANSWERS[k] for k in visible(response)}}
        response = step(client, data)
    groups = response.context["groups"]
    ids = {g: [p["pathway"] for p in groups[g]] for g in groups}
    assert "co_ppt" in ids["closed"]
    assert ids["eligible"] == ["co_visa_v_special"]
    assert set(ids["closed"]) == {"co_pep_tutor", "co_ppt"}
    assert {"asylum_co", "mercosur_residence_co", "returnee_co"} <= set(ids["not_eligible"])
    assert all(
        p["pathway"].endswith("_co") or p["pathway"].startswith("co_")
        for p in [p for g in groups.values() for p in g]
    )
    html = response.content.decode()
    assert "no es una decisión legal" in html
    assert "/catalog/?category=regularization" in html and "/catalog/?category=legal_aid" in html
    assert "data-print" in html


@pytest.mark.django_db
def test_it_does_not_ask_what_no_remaining_pathway_needs(client):
    response = step(client, {"country": "CO", "nationality": "BR"})
    assert "documents" not in visible(response)
    assert "children_documents" not in visible(response)


@pytest.mark.django_db
def test_show_results_stops_the_questions(client):
    response = step(client, {**VENEZUELAN, "results": "1"})
    assert "groups" in response.context
    assert response.context["groups"]["may_be_eligible"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("es", "Esta fecha no existe"),
        ("en", "This date does not exist"),
        ("pt-br", "Esta data não existe"),
    ],
)
def test_an_impossible_date_is_explained_and_the_step_shown_again(client, lang, message):
    params = {**VENEZUELAN, "birth_date": "1990-02-30", "current": ["birth_date"], "lang": lang}
    response = step(client, params)
    assert "birth_date" in visible(response)
    assert message in response.content.decode()


@pytest.mark.django_db
def test_a_future_birth_date_is_refused(client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    params = {
        **VENEZUELAN,
        "birth_date": tomorrow.isoformat(),
        "current": ["birth_date"],
        "lang": "en",
    }
    response = step(client, params)
    assert "birth_date" in visible(response)
    assert "The date of birth cannot be in the future." in response.content.decode()


@pytest.mark.django_db
def test_a_missing_nationality_shows_the_first_step_again(client):
    response = step(client, {"country": "CO", "lang": "en"})
    assert visible(response) == ["country", "nationality", "nationality_2"]
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{}, VENEZUELAN, {**VENEZUELAN, "results": "1"}, {"country": "CO", "birth_date": "x"}],
)
def test_no_cookie_is_set(client, params):
    response = step(client, params)
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_post_is_refused(client):
    assert client.post(URL, VENEZUELAN).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Colombia: Temporary Protection Statute (PPT)"),
        ("pt-br", "Colômbia: Estatuto Temporário de Proteção (PPT)"),
        ("es", "Colombia: Estatuto Temporal de Protección (PPT)"),
    ],
)
def test_rule_texts_follow_the_language(client, lang, text):
    by_url = step(client, {**VENEZUELAN, "results": "1", "lang": lang})
    assert text in by_url.content.decode()
    by_header = step(client, {**VENEZUELAN, "results": "1"}, HTTP_ACCEPT_LANGUAGE=lang)
    assert text in by_header.content.decode()
