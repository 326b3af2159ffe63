from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.core.exceptions import DomainError
from ventanilla.core.views import add_domain_errors, require_cap
from ventanilla.territory import selectors, services
from ventanilla.territory.forms import AttentionPointForm, OpeningHoursFormSet
from ventanilla.territory.models import AttentionPoint


@login_required
def attention_point_list(request):
    return render(
        request,
        "territory/attention_point_list.html",
        {
            "city": selectors.current_city(),
            "points": selectors.attention_points_active(),
            "can_manage": has_cap(request.user, Cap.MANAGE_TERRITORY),
        },
    )


@require_cap(Cap.MANAGE_TERRITORY)
def attention_point_form(request, point_uuid=None):
    """Create or edit an attention point and its weekly opening hours."""
    point = get_object_or_404(AttentionPoint, uuid=point_uuid) if point_uuid else None
    initial = {}
    hours_initial = []
    if point:
        initial = {
            "name": point.name,
            "kind": point.kind,
            "locality": point.locality,
            "address": point.address,
            "organization": point.organization,
            "is_active": point.is_active,
        }
        hours_initial = [
            {"weekday": h.weekday, "opens": h.opens, "closes": h.closes}
            for h in point.opening_hours.all()
        ]
    form = AttentionPointForm(request.POST or None, initial=initial)
    hours = OpeningHoursFormSet(request.POST or None, initial=hours_initial, prefix="hours")
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        periods = [
            (f.cleaned_data["weekday"], f.cleaned_data["opens"], f.cleaned_data["closes"])
            for f in hours.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            if point:
                services.attention_point_update(
                    actor=request.user, point=point, hours=periods, **form.cleaned_data
                )
            else:
                data = dict(form.cleaned_data)
                data.pop("is_active")
                services.attention_point_create(actor=request.user, hours=periods, **data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Attention point saved."))
            return redirect("territory:attention_point_list")
    return render(
        request,
        "territory/attention_point_form.html",
        {"form": form, "hours": hours, "point": point},
    )
