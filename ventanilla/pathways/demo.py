"""Demo navigator runs: a few open cases of the demo city get a saved check, deterministic."""

import random
from datetime import date

from ventanilla.cases.choices import CaseStatus
from ventanilla.cases.demo import _uuids_from
from ventanilla.cases.models import Case, Task
from ventanilla.pathways import services
from ventanilla.pathways.models import PathwayCheck

# Interview answers a case worker could have recorded (entry mode, record, asylum request).
INTERVIEWS = [
    {"entry_mode": "regular", "criminal_record": False},
    {"entry_mode": "irregular", "criminal_record": False, "asylum_claim": False},
    {"entry_mode": "regular"},
    {},
]


def build_pathway_checks(*, seed: int, today: date, worker, count: int = 8) -> int:
    """Run the navigator in up to `count` open person cases; returns how many checks."""
    rng = random.Random(f"pathways-{seed}")
    cases = list(
        Case.objects.filter(person__isnull=False, assigned_to=worker)
        .exclude(status__in=[CaseStatus.CLOSED, CaseStatus.CLOSURE_REQUESTED])
        .select_related("person")
        .order_by("uuid")[:count]
    )
    with _uuids_from(rng, [PathwayCheck, Task]):
        for case in cases:
            services.pathway_check_run(
                actor=worker,
                case=case,
                person=case.person,
                country="CO",
                answers=dict(rng.choice(INTERVIEWS)),
                on=today,
            )
    return len(cases)
