from ventanilla.privacy.models import AccessEvent, Consent


def consents_of(person):
    return Consent.objects.filter(person=person).select_related("recorded_by", "withdrawn_by")


def active_consents(person) -> dict[str, bool]:
    """Purpose -> the current answer, for purposes answered and not withdrawn."""
    return {
        c.purpose: c.granted
        for c in Consent.objects.filter(person=person, withdrawn_at__isnull=True)
    }


def access_events_for_person(person, limit: int = 50):
    return (
        AccessEvent.objects.filter(persons__person=person)
        .select_related("actor", "actor__organization")
        .order_by("-at")[:limit]
    )


def access_events_recent(limit: int = 200):
    return AccessEvent.objects.select_related("actor").order_by("-at")[:limit]


def change_history(person, limit: int = 50) -> list[dict]:
    """The person's change log with labels for actions, fields and values."""
    from ventanilla.core.models import AuditEvent
    from ventanilla.privacy.labels import ACTION_LABELS, field_label, value_label

    events = AuditEvent.objects.filter(person_id=person.pk).select_related("actor")[:limit]
    history = []
    for event in events:
        changes = []
        for name, pair in (event.changes or {}).items():
            if isinstance(pair, list) and len(pair) == 2:
                old, new = pair
                changes.append((field_label(name), value_label(name, old), value_label(name, new)))
            else:
                changes.append((field_label(name), "", value_label(name, pair)))
        history.append(
            {
                "at": event.at,
                "actor": event.actor,
                "action": ACTION_LABELS.get(event.action, event.action),
                "changes": changes,
                "reason": event.reason,
            }
        )
    return history
