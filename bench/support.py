"""Shared set-up for the benchmarks: a dedicated PostgreSQL database, Django, an intake user.

The benchmarks never touch the development database: they create and migrate their own
(`ventanilla_bench` by default, or BENCH_DATABASE_URL / --database-url).
"""

import os
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ventanilla_bench"
)
INTAKE_USERNAME = "bench-intake"


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist (needs CREATEDB on the server)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"The benchmarks need PostgreSQL, not {parts.scheme!r}: {url}")
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django(url: str, *, migrate: bool = True) -> None:
    """Point Django at the benchmark database, then bring its schema up to date."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("VENTANILLA_LOCAL", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    # The benchmark runs from bench/; the package lives one level up.
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def intake_user():
    """The intake worker the benchmarks act as, created through the account services once."""
    import secrets

    from ventanilla.accounts import services
    from ventanilla.accounts.choices import OrganizationKind, Role
    from ventanilla.accounts.models import Organization, User

    user = User.objects.filter(username=INTAKE_USERNAME).first()
    if user is not None:
        return user
    organization = Organization.objects.filter(
        name="Benchmark center"
    ).first() or services.organization_create(
        actor=None, name="Benchmark center", kind=OrganizationKind.CITY_DEPARTMENT
    )
    return services.user_create(
        actor=None,
        username=INTAKE_USERNAME,
        organization=organization,
        roles=[Role.INTAKE],
        password=secrets.token_urlsafe(24),
        must_change_password=False,
    )


def percentiles(values_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99/max of a list of latencies (nearest-rank on 1,000 cuts)."""
    if len(values_ms) < 2:
        only = values_ms[0] if values_ms else float("nan")
        return {"p50": only, "p95": only, "p99": only, "max": only}
    cuts = statistics.quantiles(values_ms, n=1000, method="inclusive")
    return {"p50": cuts[499], "p95": cuts[949], "p99": cuts[989], "max": max(values_ms)}


def load_average() -> str:
    """Other work on the machine skews latencies: every report says how busy it was."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def machine_summary() -> str:
    """One line about where the figures came from, printed with every result."""
    cores = os.cpu_count()
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            total_kb = int(meminfo.readline().split()[1])
        memory = f", {total_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cores} cores{memory}, Python {sys.version.split()[0]}"
