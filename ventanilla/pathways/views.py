"""The public regular-pathways questionnaire: no login, nothing stored, no cookies.

The answers travel only in POST bodies, never in a URL: a URL ends up in access logs,
in the history of a shared phone and in the Referer of the next link. The first visit is a
plain GET; every step is a form POSTed to the same address carrying the answers so far in
hidden fields; each step evaluates them and asks only what the pathways still open need.
"""

from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ventanilla.pathways import evaluator, selectors
from ventanilla.pathways.forms import (
    FACT_FIELDS,
    FACT_LABELS,
    FIRST_STEP_FIELDS,
    QuestionnaireForm,
    document_date_fields,
)

SITE_LANGUAGES = {"es", "en", "pt-br"}
LANGUAGE_NAMES = (("es", "Español"), ("en", "English"), ("pt-br", "Português"))
# Which page a form was posted from, so that switching the language shows the same one.
PAGES = {"first", "step", "edit", "results"}
# The catalog categories the results page links to.
CATALOG_CATEGORIES = ("regularization", "legal_aid")
# Issue-date facts: the field marking the documents, the condition dating them, whose dates.
DATED_DOCUMENTS = {
    "documents.issued": ("documents", "has_document", ""),
    "children.documents.issued": ("children_documents", "child_has_document", "child_"),
}


# Without CSRF protection on purpose: a CSRF token needs a cookie, and this view has nothing
# to protect. It stores and changes nothing (no session, no database write, no cookie), and
# its response depends only on the posted answers; a foreign site that posts here only shows
# its own answers to the person, in a page it cannot read (same-origin policy) nor frame
# (X-Frame-Options and CSP frame-ancestors 'none').
@csrf_exempt
@require_http_methods(["GET", "POST"])
def questionnaire(request):
    if request.method == "POST":
        answers = request.POST
        lang = answers.get("switch_lang") or answers.get("lang") or request.GET.get("lang")
    else:
        # Answers in a URL are never honoured, so that no link ever carries them: a GET is
        # the first step, only its language may come in the URL (links from elsewhere).
        answers = QueryDict()
        lang = request.GET.get("lang")
        if request.GET.get("catalog") in CATALOG_CATEGORIES:
            return _to_catalog(request.GET["catalog"], lang)
    if lang not in SITE_LANGUAGES:
        lang = None
    with translation.override(lang or translation.get_language()):
        response = _questionnaire(request, answers, lang)
    # Not kept by the browser or proxies (the back button asks the server again), and the
    # catalog and source links opened from here learn nothing of it.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _questionnaire(request, answers, lang):
    countries = selectors.host_countries()
    if "country" not in answers:
        form = QuestionnaireForm(
            initial={"country": selectors.default_country()}, host_countries=countries
        )
        return _step(request, answers, form, FIRST_STEP_FIELDS, lang=lang, page="first")

    form = QuestionnaireForm(answers, host_countries=countries)
    shown = set(answers.getlist("shown")) & set(form.fields)
    current = [n for n in answers.getlist("current") if n in form.fields]
    page = answers.get("page")
    if "edit" in answers:
        # Every question answered so far, prefilled, in the questionnaire's order.
        again = [n for n in form.fields if n in FIRST_STEP_FIELDS or n in shown]
        return _step(
            request, answers, _unjudged(answers), again, lang=lang, page="edit", shown=shown
        )
    if "switch_lang" in answers and page in ("first", "step", "edit") and current:
        # The same page in the other language, with what was typed and not judged yet.
        still_open = _still_open_before(answers, current, shown) if page == "step" else None
        return _step(
            request,
            answers,
            _unjudged(answers),
            current,
            lang=lang,
            page=page,
            shown=shown,
            still_open=still_open,
        )
    if not form.is_valid():
        if any(name in form.errors for name in FIRST_STEP_FIELDS):
            return _step(request, answers, form, FIRST_STEP_FIELDS, lang=lang, page="first")
        again = _dedupe(current + [n for n in form.errors if n in form.fields])
        return _step(request, answers, form, again, lang=lang, shown=shown - set(again))

    results = _evaluate(form, shown)
    to_ask = _fields_to_ask(results, shown, form.cleaned_data)
    wants_results = "results" in answers or ("switch_lang" in answers and page == "results")
    if to_ask and not wants_results:
        return _step(
            request,
            answers,
            form,
            to_ask,
            lang=lang,
            shown=shown,
            still_open=_still_open(results),
        )
    return _results(request, answers, form, results, lang)


def _evaluate(form, shown) -> list[dict]:
    return evaluator.evaluate(
        list(selectors.pathway_rules()),
        form.profile(shown),
        country=form.cleaned_data["country"],
        on=timezone.localdate(),
        lang=selectors.rule_language(),
        stale_after_days=selectors.stale_after_days(),
        country_name=selectors.country_name,
    )


def _still_open(results) -> int:
    return sum(r["status"] in ("eligible", "may_be_eligible") for r in results)


def _still_open_before(answers, current, shown) -> int | None:
    """How many pathways were still open when the step showing `current` was asked."""
    before = answers.copy()
    for name in current:
        before.pop(name, None)
    form = QuestionnaireForm(before, host_countries=selectors.host_countries())
    if not form.is_valid():
        return None
    return _still_open(_evaluate(form, shown - set(current)))


def _unjudged(answers) -> QuestionnaireForm:
    """The answers shown back as they were typed, without error messages: the person has
    not asked to go on yet."""
    form = QuestionnaireForm(host_countries=selectors.host_countries())
    form.initial = {
        name: answers.getlist(name)
        if isinstance(field, forms.MultipleChoiceField)
        else answers.get(name)
        for name, field in form.fields.items()
        if name in answers
    }
    return form


def _fields_to_ask(results, shown, answers) -> list[str]:
    """Form fields for the facts that pathways still possibly open need and nobody asked."""
    rules = selectors.rules_by_id()
    fields = []
    for result in results:
        if result["status"] != "may_be_eligible":
            continue
        for fact in result["missing"]:
            if fact in DATED_DOCUMENTS:
                wanted = _document_dates_to_ask(fact, rules[result["pathway"]], answers)
            else:
                wanted = FACT_FIELDS.get(fact, [])
            if wanted and not set(wanted) <= shown:
                fields.extend(name for name in wanted if name not in shown)
    return _dedupe(fields)


def _document_dates_to_ask(fact, rule, answers) -> list[str]:
    """The date fields of the marked document types that `rule` checks on a date."""
    marked_field, condition, whose = DATED_DOCUMENTS[fact]
    dated = _dated_types(rule["conditions"], condition)
    return [
        name
        for kind in answers.get(marked_field) or []
        if kind in dated
        for name in document_date_fields(whose, kind)
    ]


def _dated_types(conditions, condition_kind) -> set[str]:
    """Document types that `condition_kind` conditions want valid on a date, at any depth."""
    types = set()
    for condition in conditions:
        for kind, arg in condition.items():
            if kind in ("any_of", "all_of"):
                types |= _dated_types(arg, condition_kind)
            elif kind == "not":
                types |= _dated_types([arg], condition_kind)
            elif kind == condition_kind and arg.get("valid_on"):
                types |= set(arg["types"])
    return types


def _step(
    request,
    answers,
    form,
    visible,
    *,
    lang,
    page="step",
    shown=frozenset(),
    still_open=None,
):
    carried = [
        (key, value)
        for key in answers
        if key in form.fields and key not in visible
        for value in answers.getlist(key)
    ]
    return render(
        request,
        "pathways/step.html",
        {
            "form": form,
            "visible": [form[name] for name in visible],
            "carried": carried,
            "shown": sorted(set(shown) | set(visible)),
            "current": visible,
            "page": page,
            "first": page == "first",
            "editing": page == "edit",
            "still_open": still_open,
            **_common_context(lang),
        },
    )


def _results(request, answers, form, results, lang):
    rules = selectors.rules_by_id()
    rule_lang = selectors.rule_language()
    groups = {"eligible": [], "may_be_eligible": [], "not_eligible": [], "closed": []}
    for result in results:
        groups[result["status"]].append(_describe(result, rules[result["pathway"]], rule_lang))
    return render(
        request,
        "pathways/results.html",
        {
            "form": form,
            "country_name": dict(form.fields["country"].choices)[form.cleaned_data["country"]],
            "groups": groups,
            "today": timezone.localdate(),
            # Every answer, to post again for "Change my answers" or another language.
            "carried": [
                (key, value)
                for key in answers
                if key in form.fields
                for value in answers.getlist(key)
            ],
            "shown": sorted(set(answers.getlist("shown")) & set(form.fields)),
            "page": "results",
            **_common_context(lang),
        },
    )


def _common_context(lang) -> dict:
    # The address the forms post to and the browser shows: the language at most.
    url = reverse("pathways:questionnaire")
    return {
        "lang": lang,
        "action": f"{url}?{urlencode({'lang': lang})}" if lang else url,
        "languages": LANGUAGE_NAMES,
        "catalog_urls": {category: _catalog_url(category, lang) for category in CATALOG_CATEGORIES},
    }


def _catalog_url(category, lang) -> str:
    """A catalog link in the person's language, with nothing of their answers.

    The catalog takes its language from the language cookie or, without one, from the
    browser (Accept-Language). A language chosen here goes through `_to_catalog`.
    """
    if lang:
        return (
            f"{reverse('pathways:questionnaire')}?{urlencode({'lang': lang, 'catalog': category})}"
        )
    return f"{reverse('catalog:service_list')}?{urlencode({'category': category})}"


def _to_catalog(category, lang):
    """Opens the catalog in the language the person chose here. The catalog, like the rest
    of the site, reads it from the language cookie, which is set here, as the site's own
    language switcher sets it, only when the person leaves for the catalog: it holds the
    language, nothing of the answers."""
    response = HttpResponseRedirect(
        f"{reverse('catalog:service_list')}?{urlencode({'category': category})}"
    )
    if lang in SITE_LANGUAGES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _describe(result, rule, lang) -> dict:
    """One pathway for the results page: the evaluation plus the rule's own texts."""
    grants = rule["grants"]
    return {
        **result,
        "summary": rule["summary"][lang],
        "grants": [
            (_("Work"), grants.get("work")),
            (_("Health care"), grants.get("health")),
            (_("Education"), grants.get("education")),
        ],
        "duration": (grants.get("duration") or {}).get(lang),
        "documents": [text[lang] for text in rule.get("documents") or []],
        "fees": [text[lang] for text in rule.get("fees") or []],
        "where": (rule.get("where") or {}).get(lang),
        "missing_labels": _dedupe(str(FACT_LABELS.get(fact, fact)) for fact in result["missing"]),
        "needs_legal_review": "review" in result["missing"],
        # Application periods while the route may fit; permit windows (renewal, permanence)
        # whatever the status: a PPT holder must see them although PPT registration closed.
        "dates": [
            d
            for d in result["deadlines"]
            if result["status"] in ("eligible", "may_be_eligible") or d["kind"] == "follows"
        ],
        "why_not": [
            r
            for r in result["reasons"]
            if not r.lstrip().startswith(tuple(evaluator.MARKS.values()))
        ],
    }


def _dedupe(items) -> list:
    return list(dict.fromkeys(items))
