from django.db.models import Prefetch

from ventanilla.territory.models import AttentionPoint, City, Locality, OpeningHours


def current_city() -> City | None:
    return City.objects.order_by("id").first()


def localities():
    return Locality.objects.order_by("name")


def attention_points_active():
    return (
        AttentionPoint.objects.filter(is_active=True)
        .select_related("locality", "organization")
        .prefetch_related(
            Prefetch("opening_hours", OpeningHours.objects.order_by("weekday", "opens"))
        )
        .order_by("kind", "name")
    )


def default_attention_point_for(user) -> int | None:
    """Where a staff member most likely works: their organization's fixed center, else any."""
    points = AttentionPoint.objects.filter(is_active=True).order_by("kind", "name")
    own = points.filter(organization_id=user.organization_id, kind="fixed_center").first()
    chosen = own or points.filter(kind="fixed_center").first() or points.first()
    return chosen.pk if chosen else None
