"""Measure each role's home page on the small and on the large demo district.

For each size: a fresh, migrated PostgreSQL database (a `test_` sibling of
the one DATABASE_URL names, created and dropped here, so the database you
named is never written to), the demo built into it, then for each home page:

- the number of SQL queries of one warm request (it must be the same at both
  sizes: DESIGN.md "Budgets");
- the median time of the page divided by the median time of a bare view that
  returns the same HTML bytes through the same test client, session and
  middleware — page and bare view requests interleaved, their order
  alternating, so machine noise falls on both alike.

Prints a table, writes bench/results.json, and exits 1 on any mismatch.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results.json"
ROUNDS = int(os.environ.get("TANDEM_BENCH_ROUNDS", "61"))
WARMUP = 10
MFA_SECRET = "JBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    local: str  # the e-mail's local part at maplevalley.example
    heading: str  # a section heading the page must show


PAGES = [
    Page("teacher", "teacher", "maya.torres", "My coaching team"),
    Page("coach", "coach", "lena.brooks", "My teachers"),
    Page("department-head", "department head who teaches", "luis.ortega", "My teachers"),
    Page("school-leader", "school leader", "dana.reyes", "My school"),
    Page("district-admin", "district admin", "priya.nair", "District"),
]


@dataclass
class Timing:
    queries: int
    baseline_queries: int
    html_bytes: int
    page_ms: float
    baseline_ms: float
    ratio: float
    paired_ratio: float  # the median of each round's page ÷ bare view, for comparison
    page_ms_quartiles: list[float]
    baseline_ms_quartiles: list[float]


@dataclass
class SizeRun:
    size: str
    migrate_seconds: float
    build_seconds: float
    maple_valley: dict[str, int]
    peak_rss_mb: float
    pages: dict[str, Timing] = field(default_factory=dict)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "The benchmark runs on PostgreSQL: use `make bench`, which starts a private one, "
            "or set DATABASE_URL to a postgres:// URL (a test_ database beside it is used).",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    # As in production: DEBUG off (no query log kept in memory, no debug templates).
    os.environ["TANDEM_DEBUG"] = "false"

    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "tests.bench.urls"
    # One connection for the whole run, as a busy web process keeps it.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = None

    load_before = os.getloadavg()[0]
    runs = [measure("small"), measure("large")]
    pages = report(runs, load=(load_before, os.getloadavg()[0]))
    from . import media  # lesson video: 2 GB up and down with flat memory; transcode speed

    return max(pages, media.run())


def measure(size: str) -> SizeRun:
    from django.db import connection

    from tandem.schools import demo

    started = time.perf_counter()
    named = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    migrated = time.perf_counter()
    try:
        demo.build(size)
        built = time.perf_counter()
        run = SizeRun(
            size=size,
            migrate_seconds=migrated - started,
            build_seconds=built - migrated,
            maple_valley=district_shape("maple-valley"),
            peak_rss_mb=peak_rss_mb(),
        )
        print(
            f"{size} demo built in {run.build_seconds:.1f} s "
            f"(after {run.migrate_seconds:.1f} s of migrations); timing the pages…",
            flush=True,
        )
        for page in PAGES:
            run.pages[page.key] = time_page(page)
        return run
    finally:
        connection.creation.destroy_test_db(named, verbosity=0)


def district_shape(slug: str) -> dict[str, int]:
    from tandem.schools.models import CoachingAssignment, Membership, Role, School

    members = Membership.objects.filter(district__slug=slug).order_by()

    def people(role: str) -> int:
        return members.filter(role=role).values("user_id").distinct().count()

    in_district = CoachingAssignment.objects.filter(district__slug=slug)
    return {
        "schools": School.objects.filter(district__slug=slug).count(),
        "teachers": people(Role.TEACHER),
        "coaches": people(Role.COACH),
        "school_leaders": people(Role.SCHOOL_LEADER),
        "open_assignments": in_district.open().count(),
        "active_assignments": in_district.active().count(),
    }


def time_page(page: Page) -> Timing:
    from allauth.mfa.models import Authenticator
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tandem.accounts.models import User

    from .urls import BODIES

    email = f"{page.local}@maplevalley.example"
    user = User.objects.get(email=email)
    if page.key == "district-admin":
        # The demo leaves Priya to set up MFA; without it every page redirects her there.
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": MFA_SECRET}}
        )
    client = Client()
    client.force_login(user)

    response = client.get("/")
    html = response.content
    if response.status_code != 200 or page.heading.encode() not in html:
        raise SystemExit(
            f"{page.label} ({email}): the home page answered {response.status_code} "
            f"without the heading {page.heading!r}; nothing to measure."
        )
    BODIES[page.key] = html
    bare = f"/bench/baseline/{page.key}/"
    if client.get(bare).content != html:
        raise SystemExit("The bare view does not return the page's HTML.")

    def get_page() -> None:
        client.get("/")

    def get_bare() -> None:
        client.get(bare)

    for _ in range(WARMUP):
        get_page()
        get_bare()
    # Count at once: each request's start clears the connection's query log.
    with CaptureQueriesContext(connection) as captured:
        get_page()
    queries = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        get_bare()
    bare_queries = len(captured.captured_queries)

    page_ns, bare_ns = interleave(get_page, get_bare, ROUNDS)
    page_ms = [ns / 1e6 for ns in page_ns]
    bare_ms = [ns / 1e6 for ns in bare_ns]
    return Timing(
        queries=queries,
        baseline_queries=bare_queries,
        html_bytes=len(html),
        page_ms=round(statistics.median(page_ms), 3),
        baseline_ms=round(statistics.median(bare_ms), 3),
        ratio=round(statistics.median(page_ms) / statistics.median(bare_ms), 2),
        paired_ratio=round(
            statistics.median(p / b for p, b in zip(page_ns, bare_ns, strict=True)), 2
        ),
        page_ms_quartiles=[round(q, 3) for q in statistics.quantiles(page_ms, n=4)],
        baseline_ms_quartiles=[round(q, 3) for q in statistics.quantiles(bare_ms, n=4)],
    )


def interleave(
    first: Callable[[], None], second: Callable[[], None], rounds: int
) -> tuple[list[int], list[int]]:
    """Time both callables once per round, alternating which goes first."""
    a: list[int] = []
    b: list[int] = []
    # No collection inside a timed request: collect between rounds instead,
    # cheaply, with everything alive so far set aside (gc.freeze).
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        for n in range(rounds):
            gc.collect()
            order = [(first, a), (second, b)]
            if n % 2:
                order.reverse()
            for call, into in order:
                t = time.perf_counter_ns()
                call()
                into.append(time.perf_counter_ns() - t)
    finally:
        gc.enable()
        gc.unfreeze()
    return a, b


def report(runs: list[SizeRun], load: tuple[float, float]) -> int:
    import django
    from django.db import connection

    from tandem.schools.demo import LARGE

    small, large = runs
    problems = []
    for page in PAGES:
        sm, lg = small.pages[page.key], large.pages[page.key]
        if sm.queries != lg.queries:
            problems.append(
                f"MISMATCH: the {page.label}'s home page ({page.local}) runs {sm.queries} "
                f"queries on the small demo and {lg.queries} on the large one."
            )
    expected = {"schools": LARGE.schools, "teachers": LARGE.teachers, "coaches": LARGE.coaches}
    for what, n in expected.items():
        if large.maple_valley[what] != n:
            problems.append(
                f"MISMATCH: the large demo's Maple Valley has {large.maple_valley[what]} "
                f"{what}, not {n}."
            )

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (pg_version,) = cursor.fetchone() or ("?",)
    peak = peak_rss_mb()
    env = {
        "database": f"PostgreSQL {pg_version}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count() or 0,
        "machine": platform.machine(),
        "rounds": ROUNDS,
        "load_average_before_and_after": [round(x, 2) for x in load],
    }

    width = max(len(p.label) for p in PAGES) + 2
    lines = [
        "",
        f"Home pages on the small and the large demo — {env['database']}, Python "
        f"{env['python']}, Django {env['django']}, {env['cpus']} CPUs, {ROUNDS} rounds "
        f"(load average {load[0]:.1f} before, {load[1]:.1f} after)",
        "",
        f"{'':<{width}}{'SQL queries':^15}  {'time ÷ bare view':^17}  {'HTML (kB)':^15}",
        f"{'home page of':<{width}}{'small':>7}{'large':>8}  {'small':>8}{'large':>9}  "
        f"{'small':>7}{'large':>8}",
    ]
    for page in PAGES:
        sm, lg = small.pages[page.key], large.pages[page.key]
        flag = "  <- MISMATCH" if sm.queries != lg.queries else ""
        lines.append(
            f"{page.label:<{width}}{sm.queries:>7}{lg.queries:>8}  "
            f"{sm.ratio:>7.2f}x{lg.ratio:>8.2f}x  "
            f"{sm.html_bytes / 1000:>7.1f}{lg.html_bytes / 1000:>8.1f}{flag}"
        )
    mv = large.maple_valley
    lines += [
        "",
        "time ÷ bare view: the page's median time over that of a view returning the same "
        "HTML through the same client, session and middleware "
        f"(which cost {small.pages['teacher'].baseline_queries} to "
        f"{small.pages['district-admin'].baseline_queries} queries themselves).",
        "",
        f"Large demo: Maple Valley has {mv['schools']} schools, {mv['teachers']:,} teachers, "
        f"{mv['coaches']} coaches, {mv['school_leaders']} school leaders and "
        f"{mv['active_assignments']:,} active partnerships; built in "
        f"{large.build_seconds:.1f} s (migrations before it: {large.migrate_seconds:.1f} s).",
        f"Small demo: {small.maple_valley['schools']} schools, "
        f"{small.maple_valley['teachers']} teachers, {small.maple_valley['coaches']} coaches; "
        f"built in {small.build_seconds:.1f} s.",
        f"Peak RSS of the bench process: {peak:.0f} MB after the large build and every page "
        f"({small.peak_rss_mb:.0f} MB after the small build; PostgreSQL's own not included).",
        f"Results: {RESULTS.relative_to(ROOT)}",
    ]
    spread = max(
        (t.baseline_ms_quartiles[2] - t.baseline_ms_quartiles[0]) / t.baseline_ms
        for run in runs
        for t in run.pages.values()
    )
    if spread > 0.5:
        lines.append(
            f"Noisy: the bare view's interquartile range reached {spread:.0%} of its median; "
            "the machine was busy, so ratios may be off by a whole unit. Rerun on a quiet "
            "machine before comparing them."
        )
    print("\n".join(lines))
    for problem in problems:
        print(problem, file=sys.stderr)

    RESULTS.parent.mkdir(exist_ok=True)
    results: dict[str, Any] = {
        "ok": not problems,
        "problems": problems,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": env,
        "peak_rss_mb": round(peak, 1),
        "baseline_spread": round(spread, 2),  # worst interquartile range ÷ median
        "sizes": {
            run.size: {
                "migrate_seconds": round(run.migrate_seconds, 2),
                "build_seconds": round(run.build_seconds, 2),
                "maple_valley": run.maple_valley,
                "peak_rss_mb_after_build": round(run.peak_rss_mb, 1),
            }
            for run in runs
        },
        "pages": [
            {
                "page": page.key,
                "label": page.label,
                "email": f"{page.local}@maplevalley.example",
                **{run.size: asdict(run.pages[page.key]) for run in runs},
            }
            for page in PAGES
        ],
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return 1 if problems else 0
