from django.shortcuts import render

from ventanilla.accounts.permissions import Cap
from ventanilla.core.views import require_cap
from ventanilla.privacy import selectors


@require_cap(Cap.VIEW_ACCESS_LOG)
def access_log(request):
    """Recent reads of personal data: who, when, where, how many persons (no names here)."""
    return render(request, "privacy/access_log.html", {"events": selectors.access_events_recent()})
