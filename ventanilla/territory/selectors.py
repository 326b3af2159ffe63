from django.db.models import Prefetch

from ventanilla.territory.models import AttentionPoint, City, Locality, OpeningHours


def current_city() -> City | None:
    return City.objects.order_by("id").first()


def localities():
    return Locality.objects.order_by("name")


def attention_points_active():
    return (AttentionPoint.objects.filter(is_active=True)
            .select_related("locality", "organization")
            .prefetch_related(Prefetch("opening_hours", OpeningHours.objects.order_by(
                "weekday", "opens")))
            .order_by("kind", "name"))
