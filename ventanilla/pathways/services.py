"""Writes: running the navigator inside a case (a snapshot, and its deadlines as tasks)."""

import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases import selectors as case_selectors
from ventanilla.cases import services as case_services
from ventanilla.cases.choices import CaseStatus
from ventanilla.cases.models import Case
from ventanilla.core.audit import audit_record
from ventanilla.core.exceptions import InvalidInput, PermissionDenied
from ventanilla.pathways import evaluator, selectors
from ventanilla.pathways.models import PathwayCheck, PathwayDeadlineTask

# Facts the interview may give (the rest come from the records).
INTERVIEW_FACTS = (
    "entry_date",
    "entry_mode",
    "criminal_record",
    "asylum_claim",
    "has_job_offer",
    "permit_type",
    "permit_expires",
)
# Results whose dates are worth a follow-up task.
OPEN_STATUSES = ("eligible", "may_be_eligible")
RESULT_LANGUAGES = evaluator.LANGUAGES


def _task_title(deadline: dict, pathway_name: str) -> str:
    start = formats.date_format(datetime.date.fromisoformat(deadline["from"]), "SHORT_DATE_FORMAT")
    end = formats.date_format(datetime.date.fromisoformat(deadline["to"]), "SHORT_DATE_FORMAT")
    if deadline["kind"] == "application_window":
        title = _("%(pathway)s: apply between %(start)s and %(end)s")
    else:
        title = _("%(pathway)s: next step between %(start)s and %(end)s")
    return (title % {"pathway": pathway_name, "start": start, "end": end})[:200]


def _clean_answers(answers: dict) -> dict:
    """Keep the interview facts only, as JSON values (dates as ISO text)."""
    clean = {}
    for name in INTERVIEW_FACTS:
        value = answers.get(name)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if value is None or value == "" or value == "unknown":
            continue
        clean[name] = value
    return clean


@transaction.atomic
def pathway_check_run(
    *,
    actor,
    case: Case,
    person,
    country: str,
    answers: dict,
    on: datetime.date | None = None,
) -> PathwayCheck:
    """Evaluate every pathway of `country` for a person of the case and save the snapshot.

    Open or upcoming deadlines become case tasks: application windows of pathways that may
    fit, and the windows before the current permit expires. Once: a re-run does not repeat a
    task for the same pathway and window, open or done.
    """
    if not has_cap(actor, Cap.RUN_PATHWAYS):
        raise PermissionDenied(_("You do not have permission to do this."))
    country = str(country or "").upper()
    if country not in selectors.host_countries():
        message = _("Choose a country the navigator has rules for.")
        raise InvalidInput(message, field_errors={"country": [message]})
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise InvalidInput(_("This case is closed. Reopen it first."))
    if person not in case_selectors.case_persons(locked):
        message = _("This person is not part of the case.")
        raise InvalidInput(message, field_errors={"person": [message]})

    on = on or timezone.localdate()
    records = selectors.records_facts(person=person, case=locked)
    # An answer that only repeats the records is not an interview fact.
    recorded_permit = records["facts"].get("current_residence_permit") or {}
    clean = {
        name: value
        for name, value in _clean_answers(answers).items()
        if records["facts"].get(name) != value
        and not (
            name in selectors.PERMIT_ANSWERS
            and recorded_permit.get(selectors.PERMIT_ANSWERS[name]) == value
        )
    }
    profile = selectors.profile_of(records, clean)
    rules = list(selectors.pathway_rules())
    results = {
        lang: evaluator.evaluate(
            rules,
            profile,
            country=country,
            on=on,
            lang=lang,
            stale_after_days=selectors.stale_after_days(),
            country_name=selectors.country_name,
        )
        for lang in RESULT_LANGUAGES
    }
    by_id = {rule["id"]: rule for rule in rules}
    for lang, lang_results in results.items():
        for result in lang_results:
            result.update(_rule_snapshot(by_id[result["pathway"]], lang))
    check = PathwayCheck.objects.create(
        case=locked,
        person=person,
        country=country,
        evaluated_on=on,
        rules_version=selectors.rules_version(),
        records=records,
        answers=clean,
        profile=profile,
        results=results,
        stale_rules=any(r["source"]["stale_rules"] for r in results["es"]),
        created_by=actor,
    )
    tasks = _deadline_tasks(actor, locked, check, results[selectors.rule_language()])
    audit_record(
        actor=actor,
        action="pathways.check.run",
        obj=check,
        person=person,
        changes={
            "country": country,
            "rules_version": check.rules_version,
            "statuses": {r["pathway"]: r["status"] for r in results["es"]},
            "tasks": len(tasks),
        },
    )
    return check


def _rule_snapshot(rule: dict, lang: str) -> dict:
    """What the rule said to do, as it was on the run: a saved check must not change later."""
    grants = rule["grants"]
    return {
        "summary": rule["summary"][lang],
        "documents": [item[lang] for item in rule.get("documents") or []],
        "fees": [item[lang] for item in rule.get("fees") or []],
        "where": (rule.get("where") or {}).get(lang),
        "grants": {
            "work": grants.get("work"),
            "health": grants.get("health"),
            "education": grants.get("education"),
            "duration": (grants.get("duration") or {}).get(lang),
        },
    }


def _deadline_tasks(actor, case: Case, check: PathwayCheck, results: list[dict]) -> list:
    owner = case.assigned_to
    if owner is None or not has_cap(owner, Cap.VIEW_CASES):
        owner = actor
    # Done tasks count too: a re-run must not bring back what the case worker finished.
    known = set(
        PathwayDeadlineTask.objects.filter(check_run__case=case).values_list(
            "pathway", "kind", "window_from", "window_to"
        )
    )
    made = []
    for result in results:
        for deadline in result["deadlines"]:
            if deadline["state"] not in ("open", "upcoming"):
                continue
            # An application window matters only if the pathway may fit; a follows window
            # is emitted only for the permit the person holds, whatever the pathway's status.
            if deadline["kind"] == "application_window" and result["status"] not in OPEN_STATUSES:
                continue
            start = datetime.date.fromisoformat(deadline["from"])
            end = datetime.date.fromisoformat(deadline["to"])
            key = (result["pathway"], deadline["kind"], start, end)
            if key in known:
                continue
            task = case_services.task_add(
                actor=actor,
                case=case,
                title=_task_title(deadline, result["name"]),
                due_date=end,
                owner=owner,
            )
            PathwayDeadlineTask.objects.create(
                check_run=check,
                task=task,
                pathway=result["pathway"],
                kind=deadline["kind"],
                window_from=start,
                window_to=end,
            )
            known.add(key)
            made.append(task)
    return made
