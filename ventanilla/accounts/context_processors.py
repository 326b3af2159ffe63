from ventanilla.accounts.permissions import Cap, has_cap


def navigation(request):
    """What the navigation bar offers to this user, by capability."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "registry": has_cap(user, Cap.VIEW_PERSON),
            "register": has_cap(user, Cap.EDIT_PERSON),
            "figures": has_cap(user, Cap.VIEW_AGGREGATES),
            "users": has_cap(user, Cap.MANAGE_USERS),
            "territory": has_cap(user, Cap.MANAGE_TERRITORY),
            "access_log": has_cap(user, Cap.VIEW_ACCESS_LOG),
            "cases": has_cap(user, Cap.VIEW_CASES),
            "referrals": has_cap(user, Cap.ANSWER_REFERRALS),
            "pathway_rules": has_cap(user, Cap.REVIEW_PATHWAY_RULES),
            "ivl": has_cap(user, Cap.VIEW_IVL),
            "ivl_reports": has_cap(user, Cap.VIEW_AGGREGATES),
            "ivl_manage": has_cap(user, Cap.MANAGE_IVL),
            "manage_services": has_cap(user, Cap.MANAGE_CATALOG)
            or has_cap(user, Cap.MANAGE_OWN_SERVICES),
            "outreach": has_cap(user, Cap.PLAN_OUTREACH)
            or has_cap(user, Cap.RECORD_OUTREACH)
            or has_cap(user, Cap.VIEW_PARTICIPATING_OUTREACH),
        }
    }
