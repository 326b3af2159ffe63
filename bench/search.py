"""Search-before-register at scale: synthetic persons on PostgreSQL, mixed queries, latencies.

    make bench-search                                   # 1,000,000 persons, 1,000 queries
    make bench-search BENCH_ARGS="--persons 100000 --queries 300 --reload"

Loads the persons once into a dedicated database (COPY, indexes built after the load), then
sends the queries through the product's own code path, `registry.selectors.person_search`,
as an intake worker, from one warm connection. Every query is built from one known person,
so the report also says how often that person was among the (at most 50) results.
Everything is synthetic: names come from `registry.demo_names`, numbers are made up.
"""

import argparse
import json
import random
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import support  # bench/support.py: python puts the script's own directory on sys.path

# Bump when the generator changes, so that an old dataset is not mistaken for a new one.
GENERATOR_VERSION = 3

PERSON_COLUMNS = [
    "id",
    "uuid",
    "created_at",
    "updated_at",
    "given_names",
    "first_surname",
    "second_surname",
    "preferred_name",
    "birth_date",
    "birth_date_estimated",
    "sex",
    "nationalities",
    "is_stateless",
    "country_of_birth",
    "population_group",
    "population_group_since",
    "arrival_country_date",
    "arrival_city_date",
    "phone",
    "email",
    "address",
    "languages",
    "education_level",
    "occupation",
    "search_text",
    "sort_key",
    "last_visit_at",
    "created_by_id",
    "locality_id",
]
DOCUMENT_COLUMNS = [
    "id",
    "uuid",
    "created_at",
    "updated_at",
    "document_type",
    "number",
    "number_key",
    "issuing_country",
    "issued_on",
    "expires_on",
    "person_id",
]

LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # 23 letters, as on passports (no I, O, Q)

# Share of each query kind in the mix (percent). Names dominate at a front desk; documents and
# phones are what people carry or remember.
QUERY_MIX = {
    "surname+given": 15,  # "perez maria jose"
    "given+surname": 10,  # "yuleisy gonzalez" (one given name, one surname)
    "full name shuffled": 15,  # every name part, any order
    "name+birth year": 15,  # "rodriguez maria 1990"
    "name+birth date": 5,  # "maria rodriguez 14/03/1990"
    # The search box searches as the worker types (htmx, 400 ms pause), so the first word
    # alone ("maria") is sent too: the query that matches the most rows.
    "one name": 5,
    "document": 15,  # "12345678", "1023456789", "AB123456"
    "document separators": 10,  # "V-12.345.678", "1.023.456.789"
    "phone": 10,  # "3001234567", "300 123 4567", "300-123-4567"
}


def zipf_weights(count: int, exponent: float = 0.5) -> list[float]:
    """Name lists are ordered roughly by frequency; a mild Zipf curve makes "maría" common."""
    return [1 / (rank + 1) ** exponent for rank in range(count)]


class Permutation:
    """A bijection of 0..size-1 (i*a+b mod size): unique document numbers without a set of 1M."""

    def __init__(self, size: int, rng: random.Random):
        self.size = size
        self.a = rng.randrange(size // 3, size)
        while _gcd(self.a, size) != 1:
            self.a += 1
        self.b = rng.randrange(size)

    def __call__(self, index: int) -> int:
        return (index * self.a + self.b) % self.size


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


class PersonGenerator:
    """Deterministic synthetic persons and their documents, as COPY text lines."""

    def __init__(self, *, seed: int, today: date):
        from ventanilla.registry import demo_names, normalize

        self.normalize = normalize
        self.rng = random.Random(seed)
        self.today = today
        self.now = datetime.now(UTC).isoformat()
        self.female = demo_names.FEMALE_GIVEN
        self.male = demo_names.MALE_GIVEN
        self.surnames = demo_names.SURNAMES
        self.female_w = zipf_weights(len(self.female))
        self.male_w = zipf_weights(len(self.male))
        self.surname_w = zipf_weights(len(self.surnames))
        # Single given names, to build the second name of someone not already given two.
        self.female_single = [n for n in self.female if " " not in n]
        self.male_single = [n for n in self.male if " " not in n]
        rng = self.rng
        self.cedula_ve = Permutation(30_000_000, rng)  # V-10.000.000 .. V-39.999.999
        self.cedula_co = Permutation(90_000_000, rng)  # 1.000.000.000 .. 1.089.999.999
        self.passport = Permutation(900_000_000, rng)
        self.passport_co = Permutation(529 * 1_000_000, rng)
        self.ppt = Permutation(9_000_000, rng)
        self.safe_conduct = Permutation(90_000_000, rng)

    def _given_names(self, sex: str) -> str:
        rng = self.rng
        names, weights, singles = (
            (self.female, self.female_w, self.female_single)
            if sex == "female"
            else (self.male, self.male_w, self.male_single)
        )
        given = rng.choices(names, weights)[0]
        # About 55% of people have two given names (research/search.md).
        if " " not in given and rng.random() < 0.33:
            second = rng.choice(singles)
            if second != given:
                given = f"{given} {second}"
        return given

    def _birth_date(self) -> date:
        rng = self.rng
        # A young population: many children and adults of working age, few over 70.
        age = min(95, int(rng.gammavariate(2.0, 15.0)))
        return self.today - timedelta(days=365 * age + rng.randrange(365))

    def _phone(self) -> str:
        rng = self.rng
        digits = f"3{rng.randint(0, 2)}{rng.randint(0, 9)}{rng.randint(0, 9_999_999):07d}"
        return digits if rng.random() < 0.7 else f"{digits[:3]} {digits[3:6]} {digits[6:]}"

    def _documents(self, index: int, nationality: str) -> list[tuple[str, str, str]]:
        """(type, number as written, issuing country): one or two per person, all unique."""
        rng = self.rng
        docs = []
        if nationality == "VE":
            if rng.random() < 0.85:
                number = 10_000_000 + self.cedula_ve(index)
                style = rng.random()
                written = (
                    f"V-{number}" if style < 0.6 else f"V{number}" if style < 0.8 else str(number)
                )
                docs.append(("ve_cedula", written, "VE"))
            else:
                docs.append(("passport", f"{100_000_000 + self.passport(index)}", "VE"))
            if rng.random() < 0.4:
                docs.append(("ppt", f"{1_000_000 + self.ppt(index)}", "CO"))
        elif nationality == "CO":
            number = str(1_000_000_000 + self.cedula_co(index))
            if rng.random() < 0.2:
                number = f"{number[0]}.{number[1:4]}.{number[4:7]}.{number[7:]}"
            docs.append(("national_id", number, "CO"))
            if rng.random() < 0.15:
                value = self.passport_co(index)  # two letters and six digits, e.g. AB123456
                letters = LETTERS[value % 23] + LETTERS[value // 23 % 23]
                docs.append(("passport", f"{letters}{value // 529:06d}", "CO"))
        else:
            letter = rng.choice(LETTERS)
            docs.append(("passport", f"{letter}{self.passport(index):09d}", nationality))
            if rng.random() < 0.5:
                docs.append(("safe_conduct", f"{10_000_000 + self.safe_conduct(index)}", "CO"))
        return docs

    def person(self, person_id: int, next_document_id: int) -> tuple[str, list[str]]:
        """One registry_person COPY line and its registry_identitydocument lines."""
        rng = self.rng
        sex = "female" if rng.random() < 0.52 else "male"
        given = self._given_names(sex)
        first = rng.choices(self.surnames, self.surname_w)[0]
        second = rng.choices(self.surnames, self.surname_w)[0] if rng.random() < 0.93 else ""
        birth = self._birth_date()
        age = (self.today - birth).days // 365
        roll = rng.random()
        nationality = (
            "VE" if roll < 0.7 else "CO" if roll < 0.9 else rng.choice(["EC", "PE", "HT", "CU"])
        )
        nationalities = (
            "CO,VE" if nationality == "VE" and age < 6 and rng.random() < 0.3 else nationality
        )
        if nationality == "CO":
            group = rng.choice(["host_community"] * 4 + ["returnee"])
        else:
            group = rng.choice(["settled"] * 6 + ["in_transit", "pendular", "asylum_seeker"])
        arrival = None
        if group != "host_community":
            arrival = max(birth, self.today - timedelta(days=rng.randint(20, 2900)))
        phone = self._phone() if age >= 15 and rng.random() < 0.8 else ""
        documents = self._documents(person_id, nationality)
        search_text = self.normalize.search_text(
            names=[given, first, second, ""],
            document_numbers=[number for _type, number, _country in documents],
            phones=[phone],
        )
        person = {
            "id": person_id,
            "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "created_at": self.now,
            "updated_at": self.now,
            "given_names": given,
            "first_surname": first,
            "second_surname": second,
            "preferred_name": "",
            "birth_date": birth,
            "birth_date_estimated": rng.random() < 0.04,
            "sex": sex,
            "nationalities": nationalities,
            "is_stateless": False,
            "country_of_birth": nationality,
            "population_group": group,
            "population_group_since": arrival or birth,
            "arrival_country_date": arrival,
            "arrival_city_date": arrival,
            "phone": phone,
            "email": "",
            "address": "",
            "languages": '["es"]' if nationality != "HT" else '["ht", "fr", "es"]',
            "education_level": "",
            "occupation": "",
            "search_text": search_text,
            "sort_key": self.normalize.sort_key(
                first_surname=first, second_surname=second, given_names=given
            ),
            "last_visit_at": None,
            "created_by_id": None,
            "locality_id": None,
        }
        document_lines = []
        for offset, (doc_type, number, country) in enumerate(documents):
            issued = max(birth, self.today - timedelta(days=rng.randint(30, 3600)))
            document = {
                "id": next_document_id + offset,
                "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "created_at": self.now,
                "updated_at": self.now,
                "document_type": doc_type,
                "number": number,
                "number_key": self.normalize.document_key(number, doc_type),
                "issuing_country": country,
                "issued_on": issued,
                "expires_on": issued + timedelta(days=3650),
                "person_id": person_id,
            }
            document_lines.append(copy_line(document, DOCUMENT_COLUMNS))
        return copy_line(person, PERSON_COLUMNS), document_lines


def copy_line(values: dict, columns: list[str]) -> str:
    """A row in COPY's text format (the generated values hold no tabs or backslashes)."""
    return "\t".join(_copy_value(values[column]) for column in columns)


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


# --- loading -----------------------------------------------------------------------------


def dataset_state(conn) -> dict | None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS bench_dataset (id int PRIMARY KEY, description jsonb NOT NULL)"
    )
    row = conn.execute("SELECT description FROM bench_dataset WHERE id = 1").fetchone()
    return row[0] if row else None


def secondary_indexes(conn, table: str) -> list[tuple[str, str]]:
    """Indexes not backing a constraint: dropped before COPY and rebuilt after, in bulk."""
    return conn.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
        "ORDER BY i.relname",
        [table],
    ).fetchall()


def load(url: str, *, persons: int, seed: int, batch: int = 20_000) -> dict:
    """Empty the registry and COPY `persons` synthetic persons with their documents."""
    import psycopg

    today = date.today()
    generator = PersonGenerator(seed=seed, today=today)
    timings: dict[str, float] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute(
            "TRUNCATE registry_person, registry_household, core_auditevent, "
            "privacy_accessevent RESTART IDENTITY CASCADE"
        )
        conn.execute("DELETE FROM bench_dataset")
        indexes = secondary_indexes(conn, "registry_person") + secondary_indexes(
            conn, "registry_identitydocument"
        )
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        # Session-only: lets the GIN and btree builds sort in memory (the server default is 64MB).
        conn.execute("SET maintenance_work_mem = '512MB'")

        document_chunks: list[str] = []
        next_document_id = 1
        tick = time.perf_counter()
        with conn.cursor().copy(
            f"COPY registry_person ({', '.join(PERSON_COLUMNS)}) FROM STDIN"
        ) as copy:
            buffer: list[str] = []
            documents: list[str] = []
            for person_id in range(1, persons + 1):
                line, doc_lines = generator.person(person_id, next_document_id)
                next_document_id += len(doc_lines)
                buffer.append(line)
                documents.extend(doc_lines)
                if len(buffer) == batch:
                    copy.write("\n".join(buffer) + "\n")
                    document_chunks.append("\n".join(documents) + "\n")
                    buffer, documents = [], []
                    print(f"\r  persons {person_id:,}/{persons:,}", end="", flush=True)
            if buffer:
                copy.write("\n".join(buffer) + "\n")
                document_chunks.append("\n".join(documents) + "\n")
        print()
        timings["persons_copy_s"] = time.perf_counter() - tick

        tick = time.perf_counter()
        with conn.cursor().copy(
            f"COPY registry_identitydocument ({', '.join(DOCUMENT_COLUMNS)}) FROM STDIN"
        ) as copy:
            for chunk in document_chunks:
                copy.write(chunk)
        timings["documents_copy_s"] = time.perf_counter() - tick
        del document_chunks

        for table in ("registry_person", "registry_identitydocument"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        for name, definition in indexes:
            tick = time.perf_counter()
            conn.execute(definition)
            timings[f"index {name} s"] = time.perf_counter() - tick
        tick = time.perf_counter()
        # Sets hint bits and the visibility map, as autovacuum would do on a live system.
        conn.execute("VACUUM (ANALYZE) registry_person, registry_identitydocument")
        timings["vacuum_analyze_s"] = time.perf_counter() - tick
        timings["total_s"] = time.perf_counter() - started
        document_count = next_document_id - 1
        description = {
            "persons": persons,
            "documents": document_count,
            "seed": seed,
            "generator": GENERATOR_VERSION,
            "first_id": 1,
            "last_id": persons,
            "loaded_on": today.isoformat(),
            "timings": {k: round(v, 1) for k, v in timings.items()},
        }
        conn.execute(
            "INSERT INTO bench_dataset (id, description) VALUES (1, %s)", [json.dumps(description)]
        )
    return description


def relation_sizes(url: str) -> list[tuple[str, str, str]]:
    """Table (with TOAST) and index sizes of the two tables the search reads."""
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT c.relname, 'table', pg_size_pretty(pg_table_size(c.oid)) FROM pg_class c "
            "WHERE c.oid IN ('registry_person'::regclass, 'registry_identitydocument'::regclass) "
            "UNION ALL "
            "SELECT i.relname, 'index', pg_size_pretty(pg_relation_size(i.oid)) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid IN "
            "('registry_person'::regclass, 'registry_identitydocument'::regclass) "
            "ORDER BY 2 DESC, 1"
        ).fetchall()


# --- queries -----------------------------------------------------------------------------


def _fold(text: str) -> str:
    from ventanilla.registry.normalize import fold

    return fold(text)


def _dotted(digits: str) -> str:
    """12345678 -> 12.345.678, the way numbers are written on cédulas."""
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ".".join(groups)


def query_for(kind: str, person: dict, rng: random.Random) -> str:
    """A search box text a front-desk worker could type to find this person."""
    given = person["given_names"].split()
    first, second = person["first_surname"], person["second_surname"]
    birth: date = person["birth_date"]
    # Most people type without accents or capitals; some copy them from a document.
    fold = _fold if rng.random() < 0.75 else (lambda text: text)
    if kind == "surname+given":
        return fold(f"{first} {person['given_names']}")
    if kind == "given+surname":
        parts = [given[0], first]
        rng.shuffle(parts)
        return fold(" ".join(parts))
    if kind == "full name shuffled":
        parts = [*given, *first.split(), *second.split()]
        rng.shuffle(parts)
        return fold(" ".join(parts))
    if kind == "name+birth year":
        parts = [given[0], first, str(birth.year)]
        rng.shuffle(parts)
        return fold(" ".join(parts))
    if kind == "one name":
        return fold(rng.choice([given[0], first]))
    if kind == "name+birth date":
        return f"{fold(given[0])} {fold(first)} {birth:%d/%m/%Y}"
    if kind == "phone" and person["phone"]:
        digits = "".join(ch for ch in person["phone"] if ch.isdigit())
        style = rng.choice(["plain", "spaced", "dashed"])
        if style == "spaced":
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
        if style == "dashed":
            return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        return digits
    doc_type, number = rng.choice(person["documents"])
    key = "".join(ch for ch in number if ch.isalnum()).upper()
    if kind == "document separators":
        if doc_type == "ve_cedula":
            return f"V-{_dotted(key.lstrip('V'))}"
        if key.isdigit():
            return _dotted(key)
        return f"{key[:2]}-{key[2:]}"
    # A plain document search: the cédula digits without the "V", or the number as written.
    return key.lstrip("V") if doc_type == "ve_cedula" else key


def build_queries(*, count: int, first_id: int, last_id: int, rng: random.Random) -> list[dict]:
    from django.db import connection

    ids = rng.sample(range(first_id, last_id + 1), count)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.given_names, p.first_surname, p.second_surname, p.birth_date, "
            "p.phone, array_agg(d.document_type), array_agg(d.number) "
            "FROM registry_person p JOIN registry_identitydocument d ON d.person_id = p.id "
            "WHERE p.id = ANY(%s) GROUP BY p.id",
            [ids],
        )
        persons = {
            row[0]: {
                "id": row[0],
                "given_names": row[1],
                "first_surname": row[2],
                "second_surname": row[3],
                "birth_date": row[4],
                "phone": row[5],
                "documents": list(zip(row[6], row[7], strict=True)),
            }
            for row in cursor.fetchall()
        }
    kinds = rng.choices(list(QUERY_MIX), weights=list(QUERY_MIX.values()), k=count)
    queries = []
    for person_id, kind in zip(ids, kinds, strict=True):
        person = persons[person_id]
        if kind == "phone" and not person["phone"]:
            kind = "document"  # children and some adults have no phone
        queries.append({"kind": kind, "text": query_for(kind, person, rng), "person_id": person_id})
    return queries


def run_queries(queries: list[dict], user) -> None:
    from ventanilla.registry.selectors import person_search

    for query in queries:
        started = time.perf_counter()
        results, more = person_search(user=user, query=query["text"])
        query["ms"] = (time.perf_counter() - started) * 1000
        query["found"] = any(person.pk == query["person_id"] for person in results)
        query["results"] = len(results)
        query["more"] = more


def explain(query: dict, user) -> str:
    """EXPLAIN ANALYZE of the SQL person_search sends for this query (for --explain)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ventanilla.registry.selectors import person_search

    with CaptureQueriesContext(connection) as captured:
        person_search(user=user, query=query["text"])
    lines = []
    for statement in captured.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement["sql"])
            lines += [row[0] for row in cursor.fetchall()]
    return "\n".join(lines)


def report(queries: list[dict]) -> dict:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for query in queries:
        by_kind[query["kind"]].append(query)
    header = f"{'kind':<22}{'n':>5}{'found':>8}{'>50':>6}{'p50':>8}{'p95':>8}{'max':>8}  (ms)"
    print(header)
    for kind in [*QUERY_MIX, "all"]:
        rows = queries if kind == "all" else by_kind.get(kind, [])
        if not rows:
            continue
        cut = support.percentiles([q["ms"] for q in rows])
        found = sum(q["found"] for q in rows)
        more = sum(q["more"] for q in rows)
        if kind == "all":
            print("-" * len(header))
        print(
            f"{kind:<22}{len(rows):>5}{found / len(rows):>8.0%}{more:>6}"
            f"{cut['p50']:>8.1f}{cut['p95']:>8.1f}{cut['max']:>8.1f}"
        )
    overall = support.percentiles([q["ms"] for q in queries])
    return overall | {"found": sum(q["found"] for q in queries), "queries": len(queries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=support.DEFAULT_DATABASE_URL)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument(
        "--warmup", type=int, default=100, help="queries run first and not counted (other persons)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reload", action="store_true", help="load the persons again")
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="print EXPLAIN ANALYZE of the N slowest queries",
    )
    args = parser.parse_args()

    import psycopg

    support.ensure_database(args.database_url)
    support.setup_django(args.database_url)
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        state = dataset_state(conn)
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    wanted = {"persons": args.persons, "seed": args.seed, "generator": GENERATOR_VERSION}
    if args.reload or not state or any(state.get(k) != v for k, v in wanted.items()):
        print(f"loading {args.persons:,} persons into {args.database_url} ...")
        state = load(args.database_url, persons=args.persons, seed=args.seed)
    else:
        print(
            f"reusing {state['persons']:,} persons loaded on {state['loaded_on']} "
            "(--reload to load again)"
        )
    print(
        f"dataset: {state['persons']:,} persons, {state['documents']:,} documents; "
        f"load timings (s): {state['timings']}"
    )
    for name, kind, size in relation_sizes(args.database_url):
        print(f"  {kind:<6} {name:<55} {size:>10}")

    user = support.intake_user()
    rng = random.Random(args.seed + 1)
    sample = build_queries(
        count=args.warmup + args.queries,
        first_id=state["first_id"],
        last_id=state["last_id"],
        rng=rng,
    )
    warmup, queries = sample[: args.warmup], sample[args.warmup :]
    run_queries(warmup, user)
    load_before = support.load_average()
    started = time.perf_counter()
    run_queries(queries, user)
    elapsed = time.perf_counter() - started

    print(f"\nPostgreSQL {pg_version}; {support.machine_summary()}")
    print(f"before: {load_before}; after: {support.load_average()}")
    print(
        f"{len(queries):,} queries in {elapsed:.1f} s ({len(queries) / elapsed:.0f}/s) "
        "through registry.selectors.person_search, one connection:"
    )
    overall = report(queries)
    print(
        f"\np50 {overall['p50']:.1f} ms  p95 {overall['p95']:.1f} ms  "
        f"p99 {overall['p99']:.1f} ms  max {overall['max']:.1f} ms; "
        f"intended person found by {overall['found']}/{overall['queries']} queries"
    )
    slowest = sorted(queries, key=lambda q: q["ms"], reverse=True)
    print("slowest:", "; ".join(f"{q['text']!r} {q['ms']:.0f} ms" for q in slowest[:5]))
    for query in slowest[: args.explain]:
        print(f"\n--- {query['text']!r} ({query['kind']}, {query['ms']:.0f} ms)")
        print(explain(query, user))


if __name__ == "__main__":
    main()
