"""IVL scoring from the database: how fast a full recomputation scores people, and how long
the dashboard's figures take when read from a finished run.

Runs against the benchmark database (bench/support.py: `ventanilla_bench`, loaded with
1,000,000 persons by `bench/center.py --load`). It scores the first --people persons with
the code of a recomputation (services.scoring: inputs, scores, bulk write, in batches of
BATCH_SIZE, each batch in its own transaction) and reports people per second; then it
times the stored-figures read of the dashboard. The scores it writes are real rows of the
benchmark database (the next run replaces them as current).

    VENTANILLA_LOCAL=true .venv/bin/python bench/ivl_db.py --people 50000
"""

import argparse
import resource
import statistics
import time

import support


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=support.DEFAULT_DATABASE_URL)
    parser.add_argument("--people", type=int, default=50_000)
    args = parser.parse_args()
    support.ensure_database(args.database_url)
    support.setup_django(args.database_url)

    from django.db import transaction
    from django.utils import timezone

    from ventanilla.registry.models import Person
    from ventanilla.vulnerability import scoring
    from ventanilla.vulnerability.models import PersonScore
    from ventanilla.vulnerability.services import scoring as services

    definition = scoring.active_definition()
    total_people = Person.objects.count()
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True)[: args.people])
    on = timezone.localdate()
    with open("/proc/loadavg") as f:
        load_before = f.read().split()[:3]
    per_batch = []
    started = time.perf_counter()
    for start in range(0, len(ids), services.BATCH_SIZE):
        batch = ids[start : start + services.BATCH_SIZE]
        t0 = time.perf_counter()
        with transaction.atomic():
            found = services._lock_persons(batch)
            scores = services._new_scores(
                definition, scoring.inputs_for(found, on=on), timezone.now()
            )
            PersonScore.objects.filter(person_id__in=found, is_current=True).update(
                is_current=False
            )
            PersonScore.objects.bulk_create(scores, batch_size=500)
        per_batch.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    rate = len(ids) / elapsed
    with open("/proc/loadavg") as f:
        load_after = f.read().split()[:3]
    print(f"persons in the database: {total_people:,}; scored: {len(ids):,}")
    print(
        f"scoring: {elapsed:.1f} s, {rate:,.0f} people/s; batch of {services.BATCH_SIZE}: "
        f"median {statistics.median(per_batch):.2f} s, max {max(per_batch):.2f} s"
    )
    print(f"extrapolated to all {total_people:,} persons: {total_people / rate / 60:.1f} min")

    t0 = time.perf_counter()
    aggregates = scoring.aggregates_for(definition)
    print(
        f"aggregates over {aggregates.get('n', 0):,} current scores: "
        f"{time.perf_counter() - t0:.1f} s"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB; load average before {load_before}, after {load_after}")


if __name__ == "__main__":
    main()
