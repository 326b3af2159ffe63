"""Household registration through the API: concurrent clients against a real WSGI server.

    make bench-households                                # 4 clients, 20 s, 4 gunicorn workers
    make bench-households BENCH_ARGS="--clients 8 --duration 60"

Starts gunicorn on 127.0.0.1 (a free port) against the benchmark database, as production
would run it (DEBUG off, persistent database connections), then has each client POST
/api/v1/households/ with token authentication, one household after another: 1 to 5 members,
each with a unique document number, consents for the household. Only loopback traffic; the
server is stopped at the end. Standard library only on the client side.
"""

import argparse
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import date, timedelta

import support  # bench/support.py: python puts the script's own directory on sys.path

# Household sizes 1..5, weighted like the demo city (seed_demo): about 3 members on average.
SIZE_WEIGHTS = [14, 18, 24, 22, 14]
CONSENTS = {"receive_services": True, "share_with_referrals": True, "anonymous_statistics": True}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(*, url: str, port: int, workers: int, log_path: str) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": url,
        "VENTANILLA_LOCAL": "true",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        # Production keeps connections (60 s by default outside local runs); a local run would
        # open one per request, which is not what a deployment measures.
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    with open(log_path, "w", encoding="utf-8") as log:  # the server keeps its own copy
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ventanilla.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--graceful-timeout",
                "10",
                "--timeout",
                "60",
            ],
            cwd=support.REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_until_ready(base: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            urllib.request.urlopen(f"{base}/api/v1/households/", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer (401 without a token) means the workers are up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class HouseholdFactory:
    """Synthetic household payloads; document numbers unique across runs and clients."""

    def __init__(self, seed: int):
        from ventanilla.registry import demo_names

        self.names = demo_names
        self.run = secrets.token_hex(3).upper()  # keeps numbers unique in a reused database
        self.counter = 0
        self.lock = threading.Lock()
        self.seed = seed
        self.today = date.today()

    def _document_number(self) -> str:
        with self.lock:
            self.counter += 1
            return f"HB{self.run}{self.counter:07d}"

    def _member(
        self,
        rng: random.Random,
        *,
        relationship: str,
        sex: str,
        age: int,
        surnames: tuple[str, str],
    ) -> dict:
        given = rng.choice(self.names.FEMALE_GIVEN if sex == "female" else self.names.MALE_GIVEN)
        member = {
            "relationship": relationship,
            "given_names": given,
            "first_surname": surnames[0],
            "second_surname": surnames[1],
            "sex": sex,
            "birth_date": (self.today - timedelta(days=365 * age + rng.randrange(365))).isoformat(),
            "nationalities": ["VE"],
            "country_of_birth": "VE",
            "population_group": "settled",
            "documents": [
                {
                    "document_type": "passport",
                    "number": self._document_number(),
                    "issuing_country": "VE",
                }
            ],
        }
        if age >= 15:
            member["phone"] = f"3{rng.randint(0, 29):02d}{rng.randint(0, 9_999_999):07d}"
        return member

    def household(self, rng: random.Random) -> dict:
        size = rng.choices(range(1, 6), weights=SIZE_WEIGHTS)[0]
        family = (rng.choice(self.names.SURNAMES), rng.choice(self.names.SURNAMES))
        partner = (rng.choice(self.names.SURNAMES), rng.choice(self.names.SURNAMES))
        head_sex = rng.choice(["female", "female", "male"])
        members = [
            self._member(
                rng, relationship="head", sex=head_sex, age=rng.randint(20, 58), surnames=family
            )
        ]
        if size >= 2 and rng.random() < 0.6:
            members.append(
                self._member(
                    rng,
                    relationship="spouse",
                    sex="male" if head_sex == "female" else "female",
                    age=rng.randint(20, 58),
                    surnames=partner,
                )
            )
        while len(members) < size:
            members.append(
                self._member(
                    rng,
                    relationship="child",
                    sex=rng.choice(["female", "male"]),
                    age=rng.randint(0, 17),
                    surnames=(family[0], partner[0]),
                )
            )
        return {
            "address": f"{rng.choice(self.names.STREETS)} {rng.randint(1, 120)} "
            f"# {rng.randint(1, 90)}-{rng.randint(1, 99)}",
            "consents": CONSENTS,
            "members": members,
        }


def post(url: str, token: str, payload: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:  # refused or reset: counted as a failure, not a crashed client
        return 0, str(error).encode()


def client(
    *,
    number: int,
    url: str,
    token: str,
    factory: HouseholdFactory,
    deadline: float,
    remaining: list[int],
    lock: threading.Lock,
    results: list[dict],
) -> None:
    rng = random.Random(factory.seed * 1000 + number)
    while time.monotonic() < deadline:
        with lock:
            if remaining[0] == 0:
                return
            remaining[0] -= 1
        payload = factory.household(rng)
        started = time.perf_counter()
        status, body = post(url, token, payload)
        elapsed = (time.perf_counter() - started) * 1000
        results.append(
            {
                "status": status,
                "ms": elapsed,
                "members": len(payload["members"]),
                "error": body[:300].decode(errors="replace") if status != 201 else "",
            }
        )


def run_clients(
    *,
    url: str,
    token: str,
    factory: HouseholdFactory,
    clients: int,
    duration: float,
    households: int,
) -> tuple[list[dict], float]:
    results: list[dict] = []
    remaining = [households if households else -1]  # -1: no count limit, only the duration
    lock = threading.Lock()
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=client,
            kwargs={
                "number": n,
                "url": url,
                "token": token,
                "factory": factory,
                "deadline": started + duration,
                "remaining": remaining,
                "lock": lock,
                "results": results,
            },
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=support.DEFAULT_DATABASE_URL)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--duration", type=float, default=20, help="seconds of measurement")
    parser.add_argument(
        "--households",
        type=int,
        default=0,
        help="stop after this many households (0: only the duration)",
    )
    parser.add_argument(
        "--warmup", type=int, default=8, help="households posted first, not counted"
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    support.ensure_database(args.database_url)
    support.setup_django(args.database_url)
    from django.db import connection

    from ventanilla.accounts.services import api_token_for
    from ventanilla.registry.models import Household, Person

    user = support.intake_user()
    token = api_token_for(user=user)
    persons_before = Person.objects.count()
    households_before = Household.objects.count()
    connection.ensure_connection()
    pg_version = connection.pg_version
    connection.close()  # the server's workers do the work from here on

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = os.path.join(tempfile.gettempdir(), f"ventanilla-bench-gunicorn-{port}.log")
    server = start_server(url=args.database_url, port=port, workers=args.workers, log_path=log_path)
    try:
        wait_until_ready(base, server)
        factory = HouseholdFactory(args.seed)
        endpoint = f"{base}/api/v1/households/"
        warmup, _seconds = run_clients(
            url=endpoint,
            token=token,
            factory=factory,
            clients=args.clients,
            duration=60,
            households=args.warmup,
        )
        load_before = support.load_average()
        results, elapsed = run_clients(
            url=endpoint,
            token=token,
            factory=factory,
            clients=args.clients,
            duration=args.duration,
            households=args.households,
        )
    finally:
        stop_server(server)

    created = [r for r in results if r["status"] == 201]
    failed = [r for r in [*warmup, *results] if r["status"] != 201]
    persons = sum(r["members"] for r in created)
    cut = support.percentiles([r["ms"] for r in created])
    persons_after = Person.objects.count()
    households_after = Household.objects.count()
    print(
        f"PostgreSQL {pg_version // 10000}.{pg_version % 10000}; "
        f"{support.machine_summary()}; gunicorn {args.workers} sync workers on {base}"
    )
    print(f"before: {load_before}; after: {support.load_average()}")
    print(f"database: {persons_before:,} persons and {households_before:,} households before")
    print(
        f"{args.clients} clients, {elapsed:.1f} s: {len(created):,} households "
        f"({persons:,} persons) created, {len(failed)} failed"
    )
    print(
        f"{len(created) / elapsed:.1f} households/s, {persons / elapsed:.1f} persons/s; "
        f"latency per household p50 {cut['p50']:.0f} ms, p95 {cut['p95']:.0f} ms, "
        f"p99 {cut['p99']:.0f} ms, max {cut['max']:.0f} ms"
    )
    print(
        f"check: {persons_after - persons_before:,} persons and "
        f"{households_after - households_before:,} households more in the database "
        "(warm-up included)"
    )
    for failure in failed[:5]:
        print(f"  HTTP {failure['status']}: {failure['error']}")
    if failed:
        print(f"server log: {log_path}")
        sys.exit(1)


if __name__ == "__main__":
    main()
