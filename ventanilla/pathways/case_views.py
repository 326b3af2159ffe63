"""Staff screens: the navigator inside a case, saved checks, and the rules' review list."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases import selectors as case_selectors
from ventanilla.core.exceptions import DomainError
from ventanilla.core.views import log_persons, require_cap
from ventanilla.pathways import evaluator, selectors, services
from ventanilla.pathways.case_forms import CheckRunForm, initial_answers
from ventanilla.pathways.forms import DOCUMENT_CHOICES, FACT_LABELS
from ventanilla.pathways.rules import RULES_DIR
from ventanilla.registry.choices import DocumentType

ENTRY_MODES = {
    "regular": gettext_lazy("through an official border crossing"),
    "irregular": gettext_lazy("without going through migration control"),
}
SOURCE_LABELS = {
    "registry": gettext_lazy("person's record"),
    "assessment": gettext_lazy("needs assessment"),
    "household": gettext_lazy("household"),
}


def _fact_label(name: str) -> str:
    return str(selectors.FACT_NAMES.get(name) or FACT_LABELS.get(name) or name)


def _document_label(kind) -> str:
    labels = {**dict(DOCUMENT_CHOICES), **dict(DocumentType.choices)}
    labels.setdefault("residence_permit", DocumentType.RESIDENCE_PERMIT.label)
    return str(labels.get(kind, kind))


def _describe_document(document: dict) -> str:
    details = []
    if document.get("issuing_country"):
        details.append(countries.name(document["issuing_country"]) or document["issuing_country"])
    if document.get("issued"):
        details.append(_("issued %(date)s") % {"date": document["issued"]})
    if document.get("expires"):
        details.append(_("expires %(date)s") % {"date": document["expires"]})
    label = _document_label(document.get("type"))
    return f"{label} ({', '.join(details)})" if details else label


def _show_fact(name: str, value) -> str:
    """A fact of a profile in words, for staff."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "nationalities":
        return ", ".join(countries.name(code) or code for code in value) or _("none")
    if name == "documents":
        return "; ".join(_describe_document(d) for d in value) or _("none")
    if name == "children":
        if not value:
            return _("none in the household")
        lines = []
        for child in value:
            documents = "; ".join(_describe_document(d) for d in child.get("documents") or [])
            born = child.get("birth_date") or _("date of birth not recorded")
            lines.append(
                _("born %(date)s: %(documents)s")
                % {"date": born, "documents": documents or _("no documents")}
            )
        return " · ".join(lines)
    if name == "current_residence_permit":
        return _describe_document(value)
    if name == "entry_mode":
        return str(ENTRY_MODES.get(value, value))
    return str(value)


def _fact_source(check, name: str) -> str:
    interview = name in check.answers or (
        name == "current_residence_permit"
        and any(answer in check.answers for answer in selectors.PERMIT_ANSWERS)
    )
    if interview:
        return _("interview")
    return str(SOURCE_LABELS.get((check.records.get("sources") or {}).get(name), ""))


@require_cap(Cap.RUN_PATHWAYS)
def check_run(request, case_uuid):
    case = case_selectors.case_for_detail(user=request.user, uuid=case_uuid)
    if case is None:
        raise Http404
    persons = case_selectors.case_persons(case)
    if not persons:
        messages.error(request, _("This case has nobody to run the navigator for."))
        return redirect("cases:case_detail", case_uuid=case.uuid)
    form_args = {"host_countries": selectors.host_countries(), "persons": persons}
    if request.method == "POST":
        form = CheckRunForm(request.POST, **form_args)
        if form.is_valid():
            try:
                check = services.pathway_check_run(
                    actor=request.user,
                    case=case,
                    person=form.chosen_person(),
                    country=form.cleaned_data["country"],
                    answers=form.answers(),
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                tasks = check.deadline_tasks.count()
                messages.success(
                    request,
                    _("Navigator run saved. Deadline tasks added to the case: %(n)s.")
                    % {"n": tasks},
                )
                return redirect("pathways:check_detail", check_uuid=check.uuid)
        person = form.persons.get(request.POST.get("person")) or persons[0]
    else:
        person = persons[0]
        if request.GET.get("person") in {str(p.uuid) for p in persons}:
            person = next(p for p in persons if str(p.uuid) == request.GET["person"])
        previous = selectors.checks_of(case).filter(person=person).first()
        records = selectors.records_facts(person=person, case=case)
        form = CheckRunForm(
            initial={
                "country": previous.country if previous else selectors.default_country(),
                "person": str(person.uuid),
                **initial_answers(records=records, previous=previous),
            },
            **form_args,
        )
    log_persons(request, [person], "pathways.check_run")
    records = selectors.records_facts(person=person, case=case)
    sources = records["sources"]
    rows = [
        (_fact_label(name), _show_fact(name, value), SOURCE_LABELS.get(sources[name], ""))
        for name, value in records["facts"].items()
    ]
    return render(
        request,
        "pathways/check_run.html",
        {"case": case, "person": person, "persons": persons, "form": form, "record_rows": rows},
    )


def _rule_texts(result: dict, rule: dict | None, lang: str) -> dict:
    """What to bring and where to apply, as saved with the check.

    Checks saved before the snapshot held them fall back to the current rule file.
    """
    if "documents" in result:
        return {key: result.get(key) for key in ("documents", "fees", "where", "grants")}
    rule = rule or {}
    grants = rule.get("grants") or {}
    return {
        "documents": [t[lang] for t in rule.get("documents") or []],
        "fees": [t[lang] for t in rule.get("fees") or []],
        "where": (rule.get("where") or {}).get(lang),
        "grants": {
            **{key: grants.get(key) for key in ("work", "health", "education")},
            "duration": (grants.get("duration") or {}).get(lang),
        }
        if grants
        else None,
    }


@require_cap(Cap.VIEW_CASES)
def check_detail(request, check_uuid):
    check = selectors.check_for_detail(user=request.user, uuid=check_uuid)
    if check is None:
        raise Http404
    log_persons(request, [check.person], "pathways.check_detail")
    lang = selectors.rule_language()
    rules = selectors.rules_by_id()
    groups = {status: [] for status in selectors.STATUSES}
    for result in check.results.get(lang) or check.results.get("es", []):
        may_fit = result["status"] in services.OPEN_STATUSES
        groups[result["status"]].append(
            {
                **result,
                **_rule_texts(result, rules.get(result["pathway"]), lang),
                "missing_labels": [_fact_label(f) for f in result["missing"]],
                # The permit's own windows show whatever the status; applying, only if it fits.
                "dates": [d for d in result["deadlines"] if may_fit or d["kind"] == "follows"],
            }
        )
    tasks = {d.pathway: [] for d in check.deadline_tasks.all()}
    for link in check.deadline_tasks.all():
        tasks[link.pathway].append(link.task)
    for results in groups.values():
        for result in results:
            result["tasks"] = tasks.get(result["pathway"], [])
    used = [
        (_fact_label(name), _show_fact(name, value), _fact_source(check, name))
        for name, value in check.profile.items()
    ]
    return render(
        request,
        "pathways/check_detail.html",
        {
            "check": check,
            "country_name": countries.name(check.country) or check.country,
            "groups": groups,
            "used": used,
            "rules_changed": check.rules_version != selectors.rules_version(),
            "can_run": has_cap(request.user, Cap.RUN_PATHWAYS),
        },
    )


@require_cap(Cap.REVIEW_PATHWAY_RULES)
def rules_review(request):
    today = timezone.localdate()
    country = request.GET.get("country", "")
    if country not in selectors.host_countries():
        country = ""
    stale_only = request.GET.get("stale") == "1"
    rows = selectors.rules_review(
        on=today, lang=selectors.rule_language(), country=country, stale_only=stale_only
    )
    return render(
        request,
        "pathways/rules_review.html",
        {
            "rows": rows,
            "countries": selectors.host_countries(),
            "country": country,
            "stale_only": stale_only,
            "stale_days": selectors.stale_after_days(),
            "stale_count": sum(r["stale"] for r in selectors.rules_review(on=today, lang="es")),
            "rules_version": selectors.rules_version(),
        },
    )


def _drop_answer_notes(nodes, missing: str) -> None:
    """A rule read on its own has no answers: drop the "(not answered yet)" notes."""
    for node in nodes:
        node["text"] = node["text"].removesuffix(f" ({missing})")
        _drop_answer_notes(node.get("children", []), missing)


@require_cap(Cap.REVIEW_PATHWAY_RULES)
def rule_detail(request, rule_id):
    rule = selectors.rules_by_id().get(rule_id)
    if rule is None:
        raise Http404
    lang = selectors.rule_language()
    today = timezone.localdate()
    # Evaluated on an empty profile: every condition shows, worded, with nothing decided.
    shape = evaluator.evaluate_rule(
        rule,
        {},
        on=today,
        lang=lang,
        stale_after_days=selectors.stale_after_days(),
        country_name=selectors.country_name,
    )
    _drop_answer_notes(shape["conditions"], evaluator.TEXTS[lang]["missing"])
    return render(
        request,
        "pathways/rule_detail.html",
        {
            "rule": rule,
            "lang": lang,
            "name": rule["names"][lang],
            "summary": rule["summary"][lang],
            "conditions": shape["conditions"],
            "source": shape["source"],
            "deadlines": shape["deadlines"],
            "closed_since": shape["closed_since"],
            "texts": {
                key: [item[lang] for item in rule.get(key) or []]
                for key in ("documents", "fees", "warnings")
            },
            "follows": [f["text"][lang] for f in rule.get("follows") or []],
            "where": (rule.get("where") or {}).get(lang),
            "duration": (rule["grants"].get("duration") or {}).get(lang),
            "grants": [
                (_("Work"), rule["grants"].get("work")),
                (_("Health care"), rule["grants"].get("health")),
                (_("Education"), rule["grants"].get("education")),
            ],
            "yaml": (RULES_DIR / f"{rule['id']}.yaml").read_text(encoding="utf-8"),
            "age_days": (today - rule["last_reviewed"]).days,
            "stale_days": selectors.stale_after_days(),
        },
    )
