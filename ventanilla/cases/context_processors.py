from functools import cache

from ventanilla.accounts.permissions import has_cap


def work(request):
    """The navigation's "My work" entry and the unread notifications badge. The count is one
    indexed COUNT, run only when a template shows it (and once per page)."""
    from ventanilla.cases import selectors
    from ventanilla.cases.views import MY_WORK_CAPS

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "has_my_work": any(has_cap(user, cap) for cap in MY_WORK_CAPS),
        "unread_notifications": cache(lambda: selectors.unread_notification_count(user)),
    }
