from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.catalog import selectors, services
from ventanilla.catalog.filters import ServiceFilterForm
from ventanilla.catalog.forms import ServiceForm
from ventanilla.core.exceptions import DomainError
from ventanilla.core.views import add_domain_errors, require_any_cap

MANAGE_CAPS = (Cap.MANAGE_CATALOG, Cap.MANAGE_OWN_SERVICES)


def service_list(request):
    """The public catalog: no login. Filters by text, category, locality and language."""
    form = ServiceFilterForm(request.GET or None)
    form.is_valid()
    found = selectors.services_public(**form.selector_kwargs(), today=timezone.localdate())
    return render(
        request,
        "catalog/service_list.html",
        {"form": form, "services": found, "filtered": bool(request.GET)},
    )


def service_detail(request, service_uuid):
    service = selectors.service_public_detail(uuid=service_uuid, today=timezone.localdate())
    if service is None:
        raise Http404
    return render(request, "catalog/service_detail.html", {"service": service})


@require_any_cap(*MANAGE_CAPS)
def manage_list(request):
    today = timezone.localdate()
    found = list(selectors.services_manageable_by(request.user))
    for service in found:
        service.active_now = service.is_active_on(today)
    return render(
        request,
        "catalog/manage_list.html",
        {
            "services": found,
            "all_providers": has_cap(request.user, Cap.MANAGE_CATALOG),
        },
    )


@require_any_cap(*MANAGE_CAPS)
def service_form(request, service_uuid=None):
    """Create or edit a service; partner staff only see (and save) their organization's."""
    service = None
    if service_uuid:
        service = get_object_or_404(
            selectors.services_manageable_by(request.user), uuid=service_uuid
        )
    form = ServiceForm(request.POST or None, instance=service, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            if service:
                services.service_update(
                    actor=request.user,
                    service=service,
                    expected_version=form.cleaned_data["version"],
                    **fields,
                )
            else:
                services.service_create(actor=request.user, **fields)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Service saved."))
            return redirect("catalog:manage_list")
    return render(request, "catalog/service_form.html", {"form": form, "service": service})


@require_POST
@require_any_cap(*MANAGE_CAPS)
def service_unpublish(request, service_uuid):
    service = get_object_or_404(selectors.services_manageable_by(request.user), uuid=service_uuid)
    services.service_unpublish(actor=request.user, service=service)
    messages.success(request, _("The service is no longer shown in the public catalog."))
    return redirect("catalog:manage_list")
