"""The public questionnaire (/pathways/): anonymous, answers by POST only, nothing stored, no
cookies, three languages."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from ventanilla.pathways import evaluator, selectors
from ventanilla.pathways.forms import (
    DOCUMENT_CHOICES,
    FACT_FIELDS,
    FACT_LABELS,
    QuestionnaireForm,
)

URL = "/pathways/"
VENEZUELAN = {"country": "CO", "nationality": "VE"}


def step(client, params, **extra):
    """Posts `params` as a step's form would (the answers never go in the URL)."""
    response = client.post(URL, params, **extra)
    assert response.status_code == 200
    return response


def carried(response) -> dict[str, list[str]]:
    """What the page's form posts without the person touching it (hidden fields)."""
    data = {}
    if "current" in response.context:
        data["current"] = [str(v) for v in response.context["current"]]
    data["shown"] = [str(v) for v in response.context["shown"]]
    for key, value in response.context["carried"]:
        data.setdefault(key, []).append(value)
    data["page"] = response.context["page"]
    if response.context["lang"]:
        data["lang"] = response.context["lang"]
    return data


def answer(client, params, answers):
    """Submits the shown step of `params` with `answers`, carrying what the page carries."""
    response = step(client, params)
    assert "visible" in response.context, "expected a question step"
    return {**carried(response), **answers}


def visible(response):
    return [field.name for field in response.context["visible"]]


@pytest.mark.django_db
def test_it_works_for_anonymous_and_starts_with_country_and_nationality(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert visible(response) == ["country", "nationality", "nationality_2"]
    html = response.content.decode()
    assert 'method="post"' in html and 'method="get"' not in html
    assert "csrfmiddlewaretoken" not in html
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
    [
        {},
        VENEZUELAN,
        {**VENEZUELAN, "results": "1"},
        {**VENEZUELAN, "edit": "1"},
        {**VENEZUELAN, "switch_lang": "pt-br", "page": "results"},
        {"country": "CO", "birth_date": "x"},
    ],
)
def test_no_cookie_is_set(client, params):
    for response in (client.get(URL), step(client, params)):
        assert not response.cookies
        assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_answers_in_a_url_are_ignored(client, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("answers in a URL must not be evaluated")

    monkeypatch.setattr(evaluator, "evaluate", fail)
    params = {**VENEZUELAN, "birth_date": "1990-05-31", "criminal_record": "yes", "results": "1"}
    response = client.get(URL, {**params, "lang": "en"})
    assert response.status_code == 200
    assert visible(response) == ["country", "nationality", "nationality_2"]
    assert response.context["page"] == "first" and not response.context["carried"]
    html = response.content.decode()
    assert "1990-05-31" not in html and 'value="VE" selected' not in html
    # Only the language of the URL is kept, and no address on the page carries more.
    assert response.context["lang"] == "en" and "Continue" in html
    assert "nationality=" not in html and "birth_date=" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_are_refused(client, method):
    assert getattr(client, method)(URL).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{}, VENEZUELAN, {**VENEZUELAN, "results": "1"}, {**VENEZUELAN, "edit": "1"}],
)
def test_every_page_is_kept_out_of_caches_and_referers(client, params):
    for response in (client.get(URL), client.get(URL, {"lang": "en"}), step(client, params)):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_it_needs_no_csrf_token(client):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {**VENEZUELAN, "results": "1"})
    assert response.status_code == 200 and "groups" in response.context
    assert not response.cookies


@pytest.mark.django_db
def test_nothing_is_written_to_the_database(client):
    flow = [
        {},
        VENEZUELAN,
        {**VENEZUELAN, **ANSWERS, "results": "1"},
        {**VENEZUELAN, "edit": "1"},
        {**VENEZUELAN, "switch_lang": "en", "page": "results", "results": "1"},
        {"country": "CO", "birth_date": "x"},
    ]
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
        for params in flow:
            step(client, params)
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


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


@pytest.fixture
def today(monkeypatch):
    """Sets the questionnaire's date: today() - the rules' windows depend on it."""

    def set_today(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


def results_of(response) -> dict[str, str]:
    return {p["pathway"]: p["status"] for g in response.context["groups"].values() for p in g}


# Peru, June 2023: the CPP asks whether a visa or residence permit was valid on 2023-05-10.
IN_PERU = {"country": "PE", "nationality": "VE", "shown": ["documents", "permit_expires"]}


@pytest.mark.django_db
def test_it_asks_an_issue_date_only_for_marked_documents_a_pathway_dates(client, today):
    today(datetime.date(2023, 6, 1))
    response = step(client, {**IN_PERU, "documents": ["passport", "visa"]})
    assert {"issued_visa", "expires_visa"} <= set(visible(response))
    assert not {"issued_passport", "expires_passport"} & set(visible(response))
    assert not any(name.startswith("child_") for name in visible(response))
    english = step(client, {**IN_PERU, "documents": ["passport", "visa"], "lang": "en"})
    assert "Visa: date of issue" in english.content.decode()
    # Nothing marked, no date asked; once shown, not asked again even if left empty.
    assert "issued_visa" not in visible(step(client, IN_PERU))
    shown = [*IN_PERU["shown"], "issued_visa", "expires_visa"]
    again = step(client, {**IN_PERU, "documents": ["visa"], "shown": shown})
    assert "issued_visa" not in visible(again)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "status"),
    [
        ({"issued_visa": "2022-01-01"}, "not_eligible"),  # a valid visa on 2023-05-10
        ({"issued_visa": "2023-05-20"}, "eligible"),  # issued after
        ({"issued_visa": "2022-01-01", "expires_visa": "2023-01-01"}, "eligible"),  # expired
        ({"issued_passport": "2022-01-01"}, "may_be_eligible"),  # not the visa's date
    ],
)
def test_each_issue_date_goes_on_its_own_document(client, today, dates, status):
    today(datetime.date(2023, 6, 1))
    params = {
        **IN_PERU,
        "documents": ["passport", "visa"],
        "entry_date": "2022-06-01",
        "criminal_record": "no",
        "results": "1",
        **dates,
    }
    response = step(client, params)
    assert results_of(response)["pe_cpp_2023"] == status


@pytest.mark.django_db
def test_the_profile_dates_each_document_with_its_own_dates():
    form = QuestionnaireForm(
        {
            **VENEZUELAN,
            "documents": ["passport", "pep"],
            "issued_pep": "2022-03-01",
            "expires_pep": "2024-03-01",
            "issued_passport": "2015-01-01",
            "issued_visa": "2019-01-01",  # not marked: ignored
            "children_documents": ["ppt"],
            "child_issued_ppt": "2022-01-01",
        },
        host_countries=["CO"],
    )
    assert form.is_valid(), form.errors
    profile = form.profile({"documents", "children_documents"})
    assert profile["documents"] == [
        {"type": "passport", "issued": "2015-01-01"},
        {"type": "pep", "issued": "2022-03-01", "expires": "2024-03-01"},
    ]
    assert profile["children"] == [{"documents": [{"type": "ppt", "issued": "2022-01-01"}]}]


@pytest.mark.django_db
def test_a_future_issue_date_is_refused(client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    params = {
        **VENEZUELAN,
        "documents": ["pep"],
        "issued_pep": tomorrow.isoformat(),
        "current": ["issued_pep"],
        "lang": "en",
    }
    response = step(client, params)
    assert "issued_pep" in visible(response)
    assert "This date cannot be in the future." in response.content.decode()


# Colombia, January 2026: the PEP Tutor window is open; it needs a child's PPT valid on
# 2023-12-31.
TUTOR = {
    **VENEZUELAN,
    "documents": [],
    "criminal_record": "no",
    "shown": ["documents", "permit_expires", "children_documents", "criminal_record"],
}


@pytest.mark.django_db
def test_it_asks_when_the_childs_document_was_issued(client, today):
    today(datetime.date(2026, 1, 15))
    response = step(client, {**TUTOR, "children_documents": ["ppt"], "lang": "en"})
    assert {"child_issued_ppt", "child_expires_ppt"} <= set(visible(response))
    assert "Your child&#x27;s PPT (temporary protection permit): date of issue" in (
        response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "status"),
    [
        ({}, "may_be_eligible"),
        ({"child_issued_ppt": "2022-01-01"}, "eligible"),
        ({"child_issued_ppt": "2024-02-01"}, "not_eligible"),
        ({"child_issued_ppt": "2022-01-01", "child_expires_ppt": "2023-06-30"}, "not_eligible"),
    ],
)
def test_the_childs_document_dates_decide_the_pep_tutor(client, today, dates, status):
    today(datetime.date(2026, 1, 15))
    params = {**TUTOR, "children_documents": ["ppt"], "results": "1", **dates}
    assert results_of(step(client, params))["co_pep_tutor"] == status


def test_every_fact_the_evaluator_reports_has_a_question_and_a_label():
    rules = list(selectors.pathway_rules())
    types = sorted({kind for kind, _label in DOCUMENT_CHOICES} | {"residence_permit"})
    profiles = [
        {},
        {"documents": [{"type": t} for t in types], "children": [{}]},
        {"documents": [], "children": [{"documents": [{"type": t} for t in types]}]},
    ]
    dates = {rule["effective"]["from"] for rule in rules} | {
        window["from"] for rule in rules for window in rule.get("application_windows") or []
    }
    reported = {
        fact
        for on in dates
        for profile in profiles
        for country in selectors.host_countries()
        for result in evaluator.evaluate(rules, profile, country=country, on=on)
        for fact in result["missing"]
    }
    assert {"documents.issued", "children.documents.issued"} <= reported
    assert reported <= set(FACT_FIELDS)
    assert reported <= set(FACT_LABELS)


@pytest.mark.django_db
def test_reasons_name_countries_in_plain_words(client):
    response = step(client, {**VENEZUELAN, "results": "1", "lang": "en"})
    html = response.content.decode()
    assert "your answer: Venezuela" in html
    assert "profile:" not in html and "(perfil" not in html
    es = step(client, {**VENEZUELAN, "results": "1", "lang": "es"}).content.decode()
    assert "su respuesta: Venezuela" in es


ANSWERED = {
    **VENEZUELAN,
    "entry_date": "2020-06-01",
    "documents": ["passport", "pep"],
    "criminal_record": "no",
    "shown": ["country", "nationality", "nationality_2", "entry_date", "documents"],
    "lang": "en",
}


def press(client, response, name, value):
    """Presses a submit button of the page's answers form: its hidden fields go with it."""
    html = response.content.decode()
    assert re.search(rf'<button[^>]*name="{name}" value="{value}"', html), (name, value)
    return step(client, {**carried(response), name: value})


@pytest.mark.django_db
def test_change_my_answers_shows_every_answer_prefilled(client):
    results = step(client, {**ANSWERED, "results": "1"})
    html = results.content.decode()
    assert html.count('form="questionnaire" name="edit" value="1"') == 2
    assert "Change my answers" in html and "edit=1" not in html

    response = press(client, results, "edit", "1")
    assert visible(response) == [
        "country",
        "nationality",
        "nationality_2",
        "entry_date",
        "documents",
    ]
    html = response.content.decode()
    assert 'value="2020-06-01"' in html
    assert re.search(r'value="pep"[^>]*checked', html)
    assert not re.search(r'value="visa"[^>]*checked', html)
    assert "Please check the answers" not in html
    # Not asked here, still kept.
    assert ("criminal_record", "no") in response.context["carried"]


@pytest.mark.django_db
def test_a_changed_answer_gives_new_results(client):
    edit = press(client, step(client, {**ANSWERED, "results": "1"}), "edit", "1")
    # Submit the edit page as the browser would, with a new nationality.
    submitted = carried(edit)
    submitted.update(
        {
            "country": "CO",
            "nationality": "CL",
            "entry_date": "2020-06-01",
            "documents": ["passport"],
            "results": "1",
        }
    )
    response = step(client, submitted)
    assert results_of(response)["mercosur_residence_co"] != "not_eligible"
    before = results_of(step(client, {**ANSWERED, "results": "1"}))
    assert before["mercosur_residence_co"] == "not_eligible"


@pytest.mark.django_db
def test_a_step_posts_back_to_the_answers_so_far(client):
    first = client.get(URL, {"lang": "en"})
    assert 'name="edit"' not in first.content.decode()
    response = step(client, {**VENEZUELAN, "shown": ["country", "nationality"], "lang": "en"})
    assert "visible" in response.context and "Change my answers" in response.content.decode()
    back = press(client, response, "edit", "1")
    assert visible(back)[:2] == ["country", "nationality"]
    assert back.context["carried"] == [] or all(
        name not in visible(back) for name, _value in back.context["carried"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "text"), [("en", "Your nationality"), ("pt-br", "nacionalidade")])
def test_the_language_switch_on_the_first_step_keeps_what_was_chosen(client, lang, text):
    first = client.get(URL)
    html = first.content.decode()
    assert f'form="questionnaire" name="switch_lang" value="{lang}"' in html
    assert "?lang=" not in html.split("<footer")[1]  # buttons, not links
    response = step(
        client, {**carried(first), "country": "PE", "nationality": "VE", "switch_lang": lang}
    )
    assert visible(response) == ["country", "nationality", "nationality_2"]
    assert response.context["lang"] == lang and text in response.content.decode()
    html = response.content.decode()
    assert re.search(r'value="PE"[^>]*selected', html) and 'value="VE" selected' in html
    assert "This field is required" not in html and "Este campo" not in html


@pytest.mark.django_db
def test_the_language_switch_on_a_step_shows_the_same_step_with_every_answer(client):
    shown_step = step(client, {**VENEZUELAN, "lang": "es"})
    asked = visible(shown_step)
    typed = {"entry_date": "2020-06-01"} if "entry_date" in asked else {}
    response = step(client, {**carried(shown_step), **typed, "switch_lang": "en"})
    assert visible(response) == asked
    assert response.context["lang"] == "en"
    assert response.context["still_open"] == shown_step.context["still_open"]
    html = response.content.decode()
    assert "Continue" in html and 'name="lang" value="en"' in html
    assert ("nationality", "VE") in response.context["carried"]
    if typed:
        assert 'value="2020-06-01"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Colombia: Temporary Protection Statute (PPT)"),
        ("pt-br", "Colômbia: Estatuto Temporário de Proteção (PPT)"),
    ],
)
def test_the_language_switch_on_the_results_keeps_every_answer(client, lang, text):
    results = step(client, {**ANSWERED, "lang": "es", "results": "1"})
    response = press(client, results, "switch_lang", lang)
    assert "groups" in response.context and text in response.content.decode()
    assert results_of(response) == results_of(results)
    again = {key: value for key, value in response.context["carried"]}
    assert again == {key: value for key, value in results.context["carried"]}
    assert ("entry_date", "2020-06-01") in response.context["carried"]
    assert ("documents", "pep") in response.context["carried"]
    assert response.context["shown"] == results.context["shown"]


@pytest.mark.django_db
def test_start_over_posts_only_the_language(client):
    results = step(client, {**ANSWERED, "results": "1"})
    html = results.content.decode()
    start_over = re.search(r'<form[^>]*id="start-over"[^>]*>(.*?)</form>', html, re.S)
    assert start_over.group(1).strip() == '<input type="hidden" name="lang" value="en">'
    response = step(client, {"lang": "en"})
    assert visible(response) == ["country", "nationality", "nationality_2"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", [None, "en", "pt-br"])
def test_catalog_links_carry_the_language_and_no_answer(client, lang):
    params = {**ANSWERED, "results": "1"}
    if lang:
        params["lang"] = lang
    else:
        params.pop("lang")
    results = step(client, params)
    urls = results.context["catalog_urls"]
    for url in urls.values():
        assert not {"nationality", "VE", "entry_date", "documents"} & set(re.split(r"[?&=]", url))
    if not lang:
        assert urls["legal_aid"] == "/catalog/?category=legal_aid"
        return
    assert urls["legal_aid"] == f"/pathways/?lang={lang}&catalog=legal_aid"
    response = client.get(urls["legal_aid"])
    assert response.status_code == 302 and response.url == "/catalog/?category=legal_aid"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == lang
    catalog = client.get(response.url)
    assert catalog.status_code == 200
    assert catalog.content.decode().startswith("<!doctype html>")
    assert f'<html lang="{lang}">' in catalog.content.decode()


def test_the_permit_type_goes_with_its_expiry():
    def profile(**answers):
        form = QuestionnaireForm({**VENEZUELAN, **answers}, host_countries=["CO"])
        assert form.is_valid(), form.errors
        return form.profile({"documents"}).get("current_residence_permit")

    assert profile(permit_type="pep", permit_expires="2026-03-01") == {
        "type": "pep",
        "expires": "2026-03-01",
    }
    assert profile(permit_type="residence_permit", permit_expires="2026-03-01") == {
        "type": "residence_permit",
        "expires": "2026-03-01",
    }
    assert profile(permit_type="other", permit_expires="2026-03-01") == {"expires": "2026-03-01"}
    assert profile(permit_expires="2026-03-01") == {"expires": "2026-03-01"}
    assert profile(permit_type="pep") is None
    assert FACT_FIELDS["documents"] == ["documents", "permit_type", "permit_expires"]


@pytest.mark.django_db
def test_the_permit_type_is_asked_with_its_expiry_and_sent(client, monkeypatch, today):
    today(datetime.date(2023, 6, 1))
    response = step(client, {"country": "PE", "nationality": "VE", "lang": "en"})
    order = visible(response)
    assert order.index("permit_type") == order.index("permit_expires") - 1
    html = response.content.decode()
    assert "Which permit or visa is it?" in html
    assert "Residence permit or foreigner ID card" in html and "Another permit" in html
    profiles = []
    real = evaluator.evaluate

    def spy(rules, profile, **kwargs):
        profiles.append(profile)
        return real(rules, profile, **kwargs)

    monkeypatch.setattr(evaluator, "evaluate", spy)
    params = {
        **VENEZUELAN,
        "documents": ["pep"],
        "permit_type": "pep",
        "permit_expires": "2030-01-31",
        "shown": ["documents", "permit_type", "permit_expires"],
        "results": "1",
    }
    step(client, params)
    assert profiles[-1]["current_residence_permit"] == {"type": "pep", "expires": "2030-01-31"}


@pytest.mark.django_db
def test_the_asylum_question_covers_fear_of_return(client):
    form = QuestionnaireForm(host_countries=["CO"])
    with translation.override("en"):
        assert "afraid to go back" in str(FACT_LABELS["asylum_claim"])
        assert "protection (asylum)" in str(FACT_LABELS["asylum_claim"])
        assert "a right, and it is free" in str(form.fields["asylum_claim"].help_text)
    response = step(client, {**VENEZUELAN, "lang": "en"})
    assert "asylum_claim" in visible(response)
    html = response.content.decode()
    assert (
        "Are you afraid to go back to your country, or have you asked for protection "
        "(asylum) here?" in html
    )
    assert "Asking for asylum is a right, and it is free." in html
    assert "refugee status" not in html


@pytest.mark.django_db
def test_a_missing_legal_review_is_not_asked_but_shown_with_legal_aid(client, monkeypatch):
    real = evaluator.evaluate

    def with_review(rules, profile, **kwargs):
        results = real(rules, profile, **kwargs)
        for result in results:
            if result["status"] == "may_be_eligible":
                result["missing"] = ["review"]
        return results

    monkeypatch.setattr(evaluator, "evaluate", with_review)
    response = step(client, {**VENEZUELAN, "lang": "en"})
    assert "groups" in response.context, "nothing to ask: a review is not a question"
    html = response.content.decode()
    assert "a check of your situation by a legal adviser" in html
    assert "Find free legal aid in the city" in html
    assert FACT_FIELDS["review"] == []


@pytest.mark.django_db
def test_stale_rules_are_flagged_on_the_results_page(client, settings):
    params = {**VENEZUELAN, "results": "1", "lang": "en"}
    settings.VENTANILLA_PATHWAYS_STALE_DAYS = 100_000
    fresh = step(client, params)
    assert "Rules may be out of date" not in fresh.content.decode()
    settings.VENTANILLA_PATHWAYS_STALE_DAYS = -1  # every rule reviewed up to today is stale
    stale = step(client, params)
    pathways = [p for g in stale.context["groups"].values() for p in g]
    assert pathways and all(p["source"]["stale_rules"] for p in pathways)
    html = stale.content.decode()
    assert html.count("Rules may be out of date") == len(pathways)
    assert "We last checked these rules on" in html


@pytest.mark.django_db
def test_a_ppt_holder_sees_the_ppt_renewal_window_although_registration_closed(client):
    expires = timezone.localdate() + datetime.timedelta(days=60)
    response = step(
        client,
        {
            **VENEZUELAN,
            "shown": ["documents", "permit_type", "permit_expires"],
            "documents": ["ppt"],
            "permit_type": "ppt",
            "permit_expires": expires.isoformat(),
            "results": "1",
            "lang": "en",
        },
    )
    ppt = next(p for p in response.context["groups"]["closed"] if p["pathway"] == "co_ppt")
    assert [d["kind"] for d in ppt["dates"]] == ["follows"]
    assert ppt["dates"][0]["to"] == expires.isoformat()
    assert expires.isoformat() in response.content.decode()
    # Without the permit's type, no renewal window is guessed.
    response = step(
        client,
        {
            **VENEZUELAN,
            "shown": ["documents", "permit_type", "permit_expires"],
            "documents": ["ppt"],
            "permit_expires": expires.isoformat(),
            "results": "1",
        },
    )
    ppt = next(p for p in response.context["groups"]["closed"] if p["pathway"] == "co_ppt")
    assert ppt["dates"] == []
