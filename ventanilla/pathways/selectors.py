"""Reads: the rule files (loaded once), the host country, the facts a case already holds,
saved checks, and the rules' review dates."""

import functools
import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases.models import Assessment
from ventanilla.pathways import evaluator
from ventanilla.pathways.models import PathwayCheck
from ventanilla.pathways.rules import RULES_DIR, load_rules
from ventanilla.registry.models import IdentityDocument, Membership
from ventanilla.territory.selectors import current_city

FALLBACK_COUNTRY = "CO"
STATUSES = ("eligible", "may_be_eligible", "not_eligible", "closed")
# Staff wording of the facts a check uses.
FACT_NAMES = {
    "nationalities": _("nationality"),
    "birth_date": _("date of birth"),
    "entry_date": _("date of the last entry into the country"),
    "in_country_since": _("in the country since"),
    "city_arrival_date": _("arrival in the city"),
    "entry_mode": _("how the person entered the country"),
    "documents": _("documents held"),
    "documents.issued": _("issue dates of the documents"),
    "children": _("children and their documents"),
    "children.documents": _("children's documents"),
    "children.documents.issued": _("issue dates of the children's documents"),
    "criminal_record": _("criminal record"),
    "asylum_claim": _("asylum request"),
    "has_job_offer": _("job offer"),
    "current_residence_permit": _("current permit or visa"),
    "review": _("review by a legal adviser"),
}


@functools.cache
def pathway_rules() -> tuple[dict, ...]:
    """Every rule file, read and validated once per process (they change with a deploy)."""
    return tuple(load_rules())


def rules_by_id() -> dict[str, dict]:
    return {rule["id"]: rule for rule in pathway_rules()}


def host_countries() -> list[str]:
    return sorted({rule["country"] for rule in pathway_rules()})


def default_country() -> str:
    city = current_city()
    code = str(city.country) if city and city.country else ""
    return code if code in host_countries() else FALLBACK_COUNTRY


def country_name(code: str, lang: str) -> str:
    """A country's name in a rule language (es, en, pt), for the evaluator's texts."""
    with translation.override({"pt": "pt-br"}.get(lang, lang)):
        return str(countries.name(code)) or code


def rule_language() -> str:
    """The rule files' language for the active one: pt-br → pt; anything unknown → es."""
    code = (get_language() or "es").split("-")[0]
    return code if code in evaluator.LANGUAGES else "es"


def stale_after_days() -> int:
    """Rules reviewed longer ago than this are flagged (VENTANILLA_PATHWAYS_STALE_DAYS)."""
    return settings.VENTANILLA_PATHWAYS_STALE_DAYS


@functools.cache
def rules_version() -> str:
    """A short fingerprint of every rule file: snapshots keep it to say which rules spoke."""
    digest = hashlib.sha256()
    for path in sorted(RULES_DIR.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# --- Inside a case: the facts the records already hold ----------------------------------

# Registry document types the rule files call otherwise.
RULE_DOCUMENT_TYPE = {"foreigner_id": "residence_permit"}
# Documents that are a residence permit or visa: their expiry anchors renewal windows. The
# current permit carries its type as the rules name it (schema.PERMIT_TYPES), so that a
# pathway's window opens only for the permit that pathway grants.
PERMIT_TYPES = ("ppt", "pep", "visa", "residence_permit", "foreigner_id")
ASYLUM_STATUSES = ("asylum_seeker", "refugee")
PARENT_RELATIONSHIPS = ("head", "spouse")
CHILD_RELATIONSHIPS = ("child", "stepchild")


def _document_facts(documents) -> list[dict]:
    out = []
    for document in documents:
        fact = {
            "type": RULE_DOCUMENT_TYPE.get(document.document_type, document.document_type),
            "issuing_country": str(document.issuing_country or ""),
        }
        if document.issued_on:
            fact["issued"] = document.issued_on.isoformat()
        if document.expires_on:
            fact["expires"] = document.expires_on.isoformat()
        out.append(fact)
    return out


def _child_facts(child) -> dict:
    facts = {"documents": _document_facts(child.documents.all())}
    if child.birth_date:
        facts["birth_date"] = child.birth_date.isoformat()
    return facts


def records_facts(*, person, case) -> dict:
    """What the registry and the case's latest needs assessment already say, per fact.

    Returns {"facts": {...}, "sources": {fact: "registry" | "assessment" | "household"}}.
    Facts nobody recorded are left out (missing), never guessed.
    """
    facts, sources = {}, {}

    def put(name, value, source):
        facts[name] = value
        sources[name] = source

    if person.nationalities:
        put("nationalities", [str(code) for code in person.nationalities], "registry")
    if person.birth_date:
        put("birth_date", person.birth_date.isoformat(), "registry")
    if person.arrival_country_date:
        put("entry_date", person.arrival_country_date.isoformat(), "registry")
        put("in_country_since", person.arrival_country_date.isoformat(), "registry")
    if person.arrival_city_date:
        put("city_arrival_date", person.arrival_city_date.isoformat(), "registry")

    registry_documents = list(IdentityDocument.objects.filter(person=person))
    documents = _document_facts(registry_documents)
    if documents:
        put("documents", documents, "registry")
    permits = [d for d in registry_documents if d.document_type in PERMIT_TYPES and d.expires_on]
    if permits:
        latest = max(permits, key=lambda d: d.expires_on)
        put(
            "current_residence_permit",
            {
                "type": RULE_DOCUMENT_TYPE.get(latest.document_type, latest.document_type),
                "expires": latest.expires_on.isoformat(),
            },
            "registry",
        )
    if any(d.document_type == "safe_conduct" for d in registry_documents):
        put("asylum_claim", True, "registry")

    assessment = Assessment.objects.filter(case=case).order_by("-completed_at", "-id").first()
    answers = assessment.answers if assessment else {}
    held = answers.get("doc_held") or []
    if answers.get("ppt_status") == "delivered":
        held = [*held, "ppt"]
    known_types = {d["type"] for d in documents}
    extra = [{"type": t} for t in _dedupe(held) if t != "none" and t not in known_types]
    if extra or (held == ["none"] and not documents):
        put("documents", documents + extra, "assessment" if not documents else "registry")
    if answers.get("migration_status") in ASYLUM_STATUSES and "asylum_claim" not in facts:
        put("asylum_claim", True, "assessment")

    membership = Membership.objects.filter(person=person, end_date__isnull=True).first()
    if membership is not None:
        children = []
        if membership.relationship in PARENT_RELATIONSHIPS:
            children = [
                _child_facts(m.person)
                for m in Membership.objects.filter(
                    household_id=membership.household_id,
                    end_date__isnull=True,
                    relationship__in=CHILD_RELATIONSHIPS,
                )
                .exclude(person=person)
                .select_related("person")
                .prefetch_related("person__documents")
            ]
        put("children", children, "household")
    return {"facts": facts, "sources": sources}


# Interview answers that correct the current permit: answer name -> key of the permit.
PERMIT_ANSWERS = {"permit_type": "type", "permit_expires": "expires"}


def profile_of(records: dict, answers: dict) -> dict:
    """The evaluator's profile: the records' facts, then what the interview added."""
    profile = dict(records.get("facts", {}))
    for name, value in answers.items():
        if name in PERMIT_ANSWERS:
            permit = dict(profile.get("current_residence_permit") or {})
            permit[PERMIT_ANSWERS[name]] = value
            profile["current_residence_permit"] = permit
        elif value is not None and value != "":
            profile[name] = value
    return profile


def changed_facts(check, *, person, case) -> list[str]:
    """Facts from the records that differ now from when `check` was run (empty: none)."""
    now = records_facts(person=person, case=case)["facts"]
    then = (check.records or {}).get("facts", {})
    return sorted(name for name in set(now) | set(then) if now.get(name) != then.get(name))


def checks_of(case):
    return PathwayCheck.objects.filter(case=case).select_related("person", "created_by")


def check_for_detail(*, user, uuid):
    """A check, if the user may see its case (else None: the view answers 404)."""
    if not has_cap(user, Cap.VIEW_CASES):
        return None
    return (
        PathwayCheck.objects.filter(uuid=uuid)
        .select_related("case", "person", "created_by")
        .prefetch_related("deadline_tasks__task")
        .first()
    )


def case_summary(*, case, persons) -> dict:
    """For the case page: the latest check, earlier ones, and what changed since."""
    checks = list(checks_of(case)[:6])
    latest = checks[0] if checks else None
    summary = {"latest": latest, "earlier": checks[1:], "changed": []}
    if latest is not None and latest.person in persons:
        summary["changed"] = changed_facts(latest, person=latest.person, case=case)
        summary["changed_labels"] = [FACT_NAMES.get(f, f) for f in summary["changed"]]
    if latest is not None:
        statuses = [r["status"] for r in latest.results.get("es", [])]
        summary["counts"] = {s: statuses.count(s) for s in STATUSES}
    return summary


# --- Keeping rules current --------------------------------------------------------------


def rules_review(*, on, lang: str, country: str = "", stale_only: bool = False) -> list[dict]:
    """Every rule's source and review date, oldest review first; stale ones flagged."""
    limit = stale_after_days()
    rows = []
    for rule in pathway_rules():
        if country and rule["country"] != country:
            continue
        age = (on - rule["last_reviewed"]).days
        closing = evaluator.closing_date(rule)
        row = {
            "id": rule["id"],
            "country": rule["country"],
            "name": rule["names"][lang],
            "instrument": rule["instrument"],
            "last_reviewed": rule["last_reviewed"],
            "age_days": age,
            "stale": age > limit,
            "closed_since": closing if closing is not None and closing <= on else None,
            "warnings": len(rule.get("warnings") or []),
        }
        if stale_only and not row["stale"]:
            continue
        rows.append(row)
    return sorted(rows, key=lambda r: (r["last_reviewed"], r["country"], r["id"]))


def _dedupe(items) -> list:
    return list(dict.fromkeys(items))
