from ventanilla.privacy.models import AccessEvent, Consent


def consents_of(person):
    return Consent.objects.filter(person=person).select_related("recorded_by", "withdrawn_by")


def active_consents(person) -> dict[str, bool]:
    """Purpose -> the current answer, for purposes answered and not withdrawn."""
    return {c.purpose: c.granted
            for c in Consent.objects.filter(person=person, withdrawn_at__isnull=True)}


def access_events_for_person(person, limit: int = 50):
    return (AccessEvent.objects.filter(persons__person=person)
            .select_related("actor", "actor__organization").order_by("-at")[:limit])


def access_events_recent(limit: int = 200):
    return AccessEvent.objects.select_related("actor").order_by("-at")[:limit]
