from datetime import date, timedelta

import pytest
from django.utils import timezone

from ventanilla.catalog import services


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_service(world, today):
    """Create a service through the service layer, as the system, with sensible defaults."""
    counter = {"n": 0}

    def make(*, provider=None, attention_points=None, **fields):
        counter["n"] += 1
        defaults = {
            "category": "legal_aid",
            "name_es": f"Orientación jurídica {counter['n']}",
            "name_en": f"Legal guidance {counter['n']}",
            "name_pt": f"Orientação jurídica {counter['n']}",
            "description_es": "Asesoría sobre regularización migratoria y trámites.",
            "description_en": "Advice on migratory regularization and paperwork.",
            "languages": ["es"],
            "active_from": today - timedelta(days=30),
        }
        defaults.update(fields)
        return services.service_create(
            actor=None,
            provider=provider or world.partner_org,
            attention_points=[world.point] if attention_points is None else attention_points,
            **defaults,
        )

    return make


YESTERDAY = date.today() - timedelta(days=1)
