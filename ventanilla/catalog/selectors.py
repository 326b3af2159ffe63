"""Reads for the service catalog: the public view (published, active) and the managers' view."""

from datetime import date

from django.db.models import Prefetch, Q

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.catalog.models import Service
from ventanilla.registry.normalize import fold
from ventanilla.territory.models import AttentionPoint


def _with_places(queryset):
    return queryset.select_related("provider").prefetch_related(
        Prefetch(
            "attention_points",
            AttentionPoint.objects.select_related("locality").order_by("kind", "name"),
        )
    )


def _json_list_has(field: str, value: str) -> Q:
    # SQLite has no JSON `contains`; the codes are plain words, so the quoted code found in
    # the list's JSON text is an exact element match on both databases.
    return Q(**{f"{field}__icontains": f'"{value}"'})


def services_active(*, today: date):
    return Service.objects.filter(is_published=True, active_from__lte=today).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=today)
    )


def services_public(*, category=None, locality=None, language=None, query: str = "", today: date):
    """Published services active today, filtered; attention points and localities prefetched."""
    services = services_active(today=today)
    if category:
        services = services.filter(category=category)
    if locality is not None:
        services = services.filter(
            pk__in=Service.attention_points.through.objects.filter(
                attentionpoint__locality=locality
            ).values("service_id")
        )
    if language:
        services = services.filter(_json_list_has("languages", language))
    for token in fold(query or "").split():
        services = services.filter(search_text__contains=token)
    return _with_places(services).order_by("category", "name_es")


def service_public_detail(*, uuid, today: date) -> Service | None:
    return _with_places(services_active(today=today)).filter(uuid=uuid).first()


def services_manageable_by(user):
    """Every service for catalog managers; their own organization's for partner staff."""
    if has_cap(user, Cap.MANAGE_CATALOG):
        services = Service.objects.all()
    elif has_cap(user, Cap.MANAGE_OWN_SERVICES) and user.organization_id:
        services = Service.objects.filter(provider_id=user.organization_id)
    else:
        services = Service.objects.none()
    return _with_places(services).order_by("provider__name", "category", "name_es")
