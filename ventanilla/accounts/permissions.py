"""The permission matrix: which role may do what. One place, read by views, API and tests.

Capabilities are plain strings so that later issues add their own without touching roles.
"""

from ventanilla.accounts.choices import Role


class Cap:
    VIEW_PERSON = "registry.view_person"  # names, contacts, documents, visits
    VIEW_SENSITIVE = "registry.view_sensitive"  # differential-approach attributes
    EDIT_PERSON = "registry.edit_person"  # register and edit persons, households, documents
    RECORD_VISIT = "registry.record_visit"
    RECORD_CONSENT = "privacy.record_consent"
    VIEW_CHANGE_HISTORY = "privacy.view_change_history"
    VIEW_ACCESS_LOG = "privacy.view_access_log"
    VIEW_AGGREGATES = "insights.view_aggregates"  # counts only, never names
    MANAGE_USERS = "accounts.manage_users"
    MANAGE_TERRITORY = "territory.manage"
    MANAGE_CATALOG = "catalog.manage"  # every organization's services
    MANAGE_OWN_SERVICES = "catalog.manage_own"  # the user's own organization's services
    OPEN_CASE = "cases.open"  # open a case (intake, from the person page)
    VIEW_CASES = "cases.view"  # case pages, plans, tasks, team notes
    WORK_CASES = "cases.work"  # assess, plan, move through the workflow, tasks
    ADD_CASE_NOTES = "cases.add_note"
    VIEW_SPECIALIST_NOTES = "cases.view_specialist_notes"  # specialists-only notes
    APPROVE_CASE_CLOSURE = "cases.approve_closure"
    PLAN_OUTREACH = "outreach.plan"  # plan, edit, cancel mobile-unit days and workshops
    RECORD_OUTREACH = "outreach.record"  # attendance and services delivered; sees every session
    # Partner staff: the sessions their organization takes part in, counts only (no names).
    VIEW_PARTICIPATING_OUTREACH = "outreach.view_participating"
    REFER = "cases.refer"  # send referrals from a case, follow up external ones
    OVERRIDE_CONSENT = "cases.override_consent"  # refer without consent, with a written reason
    # Partner staff: referrals sent to their organization (the need, name, contact, summary).
    ANSWER_REFERRALS = "referrals.answer"
    # Run the regular-pathways navigator in a case (snapshots, deadline tasks).
    RUN_PATHWAYS = "pathways.run"
    # The pathway rules' sources and review dates (no personal data).
    REVIEW_PATHWAY_RULES = "pathways.review_rules"
    # A person's labor vulnerability score and its explanation, disagreements and appeals,
    # and the programs' priority lists (names).
    VIEW_IVL = "vulnerability.view_scores"
    # Index definitions (new versions), recomputing every score, priority overrides,
    # answering appeals.
    MANAGE_IVL = "vulnerability.manage"


_CASE_TEAM = {
    Cap.VIEW_PERSON,
    Cap.VIEW_SENSITIVE,
    Cap.EDIT_PERSON,
    Cap.RECORD_VISIT,
    Cap.RECORD_CONSENT,
    Cap.VIEW_CHANGE_HISTORY,
}
_SPECIALIST = {Cap.VIEW_PERSON, Cap.VIEW_SENSITIVE, Cap.RECORD_VISIT, Cap.VIEW_CHANGE_HISTORY}
# Cases: the case worker runs the case; specialists read it and add notes, and alone with the
# coordinator read specialists-only notes (psychosocial, legal detail the case worker needs
# not see); the coordinator also approves closures. Intake opens cases.
_CASE_WORK = {Cap.OPEN_CASE, Cap.VIEW_CASES, Cap.WORK_CASES, Cap.ADD_CASE_NOTES}
_CASE_SPECIALIST = {Cap.VIEW_CASES, Cap.ADD_CASE_NOTES, Cap.VIEW_SPECIALIST_NOTES}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    # The administrator runs the system (users, territory) and reads no personal data.
    Role.ADMINISTRATOR: frozenset({Cap.MANAGE_USERS, Cap.MANAGE_TERRITORY, Cap.VIEW_ACCESS_LOG}),
    Role.COORDINATOR: frozenset(
        _CASE_TEAM
        | _CASE_WORK
        | {Cap.VIEW_SPECIALIST_NOTES, Cap.APPROVE_CASE_CLOSURE}
        | {Cap.VIEW_AGGREGATES, Cap.VIEW_ACCESS_LOG, Cap.MANAGE_TERRITORY, Cap.MANAGE_CATALOG}
        | {Cap.PLAN_OUTREACH, Cap.RECORD_OUTREACH}
        | {Cap.REFER, Cap.OVERRIDE_CONSENT}
        | {Cap.RUN_PATHWAYS, Cap.REVIEW_PATHWAY_RULES}
        | {Cap.VIEW_IVL, Cap.MANAGE_IVL}
    ),
    # Intake applies the differential approach at first contact, so it records and sees it.
    Role.INTAKE: frozenset(_CASE_TEAM | {Cap.OPEN_CASE, Cap.RECORD_OUTREACH}),
    Role.CASE_WORKER: frozenset(
        _CASE_TEAM | _CASE_WORK | {Cap.RECORD_OUTREACH, Cap.REFER, Cap.RUN_PATHWAYS, Cap.VIEW_IVL}
    ),
    # The legal specialist reads navigator results in cases and checks the rules' sources.
    Role.SPECIALIST_LEGAL: frozenset(_SPECIALIST | _CASE_SPECIALIST | {Cap.REVIEW_PATHWAY_RULES}),
    Role.SPECIALIST_PSYCHOSOCIAL: frozenset(_SPECIALIST | _CASE_SPECIALIST),
    # The employment specialist connects people with jobs and programs: priority lists.
    Role.SPECIALIST_EMPLOYMENT: frozenset(_SPECIALIST | _CASE_SPECIALIST | {Cap.VIEW_IVL}),
    # Partner staff see nothing of the registry; referrals open a narrow window later.
    # They publish their own organization's services in the catalog.
    Role.PARTNER: frozenset(
        {Cap.MANAGE_OWN_SERVICES, Cap.VIEW_PARTICIPATING_OUTREACH, Cap.ANSWER_REFERRALS}
    ),
    Role.ANALYST: frozenset({Cap.VIEW_AGGREGATES}),
}

# Roles whose holders read personal data: two-factor authentication is enforced for them.
PERSONAL_DATA_CAPS = {Cap.VIEW_PERSON, Cap.VIEW_SENSITIVE, Cap.VIEW_ACCESS_LOG}


def capabilities_of(roles) -> frozenset[str]:
    caps: set[str] = set()
    for role in roles or ():
        caps |= ROLE_CAPABILITIES.get(role, frozenset())
    return frozenset(caps)


def has_cap(user, cap: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return cap in capabilities_of(user.roles)


def reads_personal_data(user) -> bool:
    return bool(capabilities_of(getattr(user, "roles", ())) & PERSONAL_DATA_CAPS)
