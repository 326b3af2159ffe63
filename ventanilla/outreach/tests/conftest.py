from datetime import date, time

import pytest
from django.utils import timezone

from ventanilla.outreach import services


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def make_session(world, today):
    """Plan a session through the service, as the coordinator, with sensible defaults."""

    def make(*, organizations=None, **fields):
        defaults = {
            "kind": "extramural_workshop",
            "attention_point": world.point,
            "date": today,
            "start_time": time(9),
            "end_time": time(12),
            "topic": "Rutas de regularización",
        }
        defaults.update(fields)
        return services.session_plan(
            actor=world.coordinator,
            organizations=[world.partner_org] if organizations is None else organizations,
            **defaults,
        )

    return make
