"""The public regular-pathways questionnaire: GET only, no login, nothing stored, no cookies.

Every answer travels in the query string; each step evaluates the answers so far and asks
only what the pathways still open to the person need.
"""

from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ventanilla.pathways import evaluator, selectors
from ventanilla.pathways.forms import (
    FACT_FIELDS,
    FACT_LABELS,
    FIRST_STEP_FIELDS,
    QuestionnaireForm,
    document_date_fields,
)

# Query parameters that are not answers. `edit` shows every answer given so far, to change.
CONTROL_PARAMS = {"shown", "current", "results", "lang", "edit"}
SITE_LANGUAGES = {"es", "en", "pt-br"}
# Issue-date facts: the field marking the documents, the condition dating them, whose dates.
DATED_DOCUMENTS = {
    "documents.issued": ("documents", "has_document", ""),
    "children.documents.issued": ("children_documents", "child_has_document", "child_"),
}


@require_GET
def questionnaire(request):
    # The language can come in the URL, so that switching it needs no cookie.
    lang = request.GET.get("lang")
    if lang not in SITE_LANGUAGES:
        lang = None
    with translation.override(lang or translation.get_language()):
        return _questionnaire(request, lang)


def _questionnaire(request, lang):
    countries = selectors.host_countries()
    if "country" not in request.GET:
        form = QuestionnaireForm(
            initial={"country": selectors.default_country()}, host_countries=countries
        )
        return _step(request, form, FIRST_STEP_FIELDS, lang=lang, first=True)

    form = QuestionnaireForm(request.GET, host_countries=countries)
    shown = set(request.GET.getlist("shown")) & set(form.fields)
    if "edit" in request.GET:
        # Every question answered so far, prefilled, in the questionnaire's order.
        again = [n for n in form.fields if n in FIRST_STEP_FIELDS or n in shown]
        return _step(request, form, again, lang=lang, shown=shown, editing=True)
    if not form.is_valid():
        if any(name in form.errors for name in FIRST_STEP_FIELDS):
            return _step(request, form, FIRST_STEP_FIELDS, lang=lang, first=True)
        current = [n for n in request.GET.getlist("current") if n in form.fields]
        again = _dedupe(current + [n for n in form.errors if n in form.fields])
        return _step(request, form, again, lang=lang, shown=shown - set(again))

    rule_lang = selectors.rule_language()
    results = evaluator.evaluate(
        list(selectors.pathway_rules()),
        form.profile(shown),
        country=form.cleaned_data["country"],
        on=timezone.localdate(),
        lang=rule_lang,
        stale_after_days=selectors.stale_after_days(),
        country_name=selectors.country_name,
    )
    to_ask = _fields_to_ask(results, shown, form.cleaned_data)
    if to_ask and "results" not in request.GET:
        still_open = sum(r["status"] in ("eligible", "may_be_eligible") for r in results)
        return _step(request, form, to_ask, lang=lang, shown=shown, still_open=still_open)
    return _results(request, form, results, rule_lang, lang)


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
    form,
    visible,
    *,
    lang,
    shown=frozenset(),
    first=False,
    still_open=None,
    editing=False,
):
    carried = [
        (key, value)
        for key in request.GET
        if key in form.fields and key not in visible
        for value in request.GET.getlist(key)
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
            "first": first,
            "still_open": still_open,
            "editing": editing,
            "edit_url": None if first or editing else _edit_url(request),
            "lang": lang,
            "language_links": _language_links(request),
        },
    )


def _edit_url(request) -> str:
    """This page's answers, shown all together to change one ("Change my answers")."""
    params = request.GET.copy()
    for name in ("results", "current"):
        params.pop(name, None)
    params["edit"] = "1"
    return f"?{params.urlencode()}"


def _results(request, form, results, rule_lang, lang):
    rules = selectors.rules_by_id()
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
            "edit_url": _edit_url(request),
            "lang": lang,
            "language_links": _language_links(request),
        },
    )


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
        "why_not": [
            r
            for r in result["reasons"]
            if not r.lstrip().startswith(tuple(evaluator.MARKS.values()))
        ],
    }


def _language_links(request) -> list[tuple[str, str, str]]:
    """(code, name, url) for each site language: the same page with `lang` in the URL."""
    links = []
    for code, name in (("es", "Español"), ("en", "English"), ("pt-br", "Português")):
        params = request.GET.copy()
        params["lang"] = code
        links.append((code, name, f"?{params.urlencode()}"))
    return links


def _dedupe(items) -> list:
    return list(dict.fromkeys(items))
