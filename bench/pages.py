"""Latency of Liaison's main pages and API endpoints on synthetic data.

    make bench SCALE=medium                        # SQLite in data-bench/
    make bench SCALE=large DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench

or directly: `.venv/bin/python bench/pages.py --scale medium [--runs 20]`. The database
(DATABASE_URL, else data-bench/<scale>.sqlite3) is migrated and, when it holds no
synthetic data yet, filled with `liaison synth --scale <scale>` (timed). Then every page
is requested through Django's test client as a member of one workspace (a viewer who
sees their own records and what others release), a few times to warm up, then `--runs`
times: p50 and p95 of the whole request. The SQL the page ran is captured once
(connection.execute_wrapper) and re-run bare on the same connection `--runs` times: its
p50 is the "SQL" column, and "ratio" is page p50 / SQL p50 (what Python, templates and
serialisation add). One table is printed; a page that misses its target is marked.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Targets on a 2-core machine at the large scale (issue 9), in milliseconds.
TARGET_PAGE = 200.0
TARGET_DASHBOARD = 500.0
TARGET_RATIO = 3.0


@dataclass
class Row:
    name: str
    url: str
    queries: int
    p50: float
    p95: float
    sql: float
    target: float
    cpu: float = 0.0

    @property
    def ratio(self) -> float:
        return self.p50 / self.sql if self.sql else float("inf")

    @property
    def ok(self) -> bool:
        return self.p95 <= self.target and self.ratio <= TARGET_RATIO


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def setup(scale: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings_test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    # As in production (README, Deployment): keep database connections between requests.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    if not os.environ.get("DATABASE_URL"):
        data = ROOT / "data-bench"
        data.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{data / f'{scale}.sqlite3'}"
    os.environ.setdefault("LIAISON_DATA_DIR", str(ROOT / "data-bench"))
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)  # the login and lock-out notices of each client
    import gc

    # As in production (liaison/wsgi.py): what startup loaded is kept out of the
    # garbage collector's full passes.
    gc.collect()
    gc.freeze()


def ensure_data(scale: str, seed: int) -> None:
    from django.core.management import call_command

    from liaison.core.models import Workspace

    call_command("migrate", verbosity=0)
    if Workspace.objects.filter(slug__endswith="-synth").exists():
        return
    print(f"synth --scale {scale}: filling the database (once)...", flush=True)
    started = time.monotonic()
    call_command("synth", scale=scale, seed=seed, verbosity=1)
    print(f"synth took {time.monotonic() - started:.0f} s", flush=True)


class Capture:
    """The statements a request runs, with their parameters, to re-run them bare."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any, bool]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def bare_sql_time(statements: list[tuple[str, Any, bool]]) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # below Django's wrappers: the driver's own cursor
        for sql, params, many in statements:
            head = sql.lstrip()[:16].upper()
            if head.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "INSERT", "UPDATE", "DELETE")):
                continue
            if many:
                continue
            if connection.vendor == "sqlite":
                from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

                raw.execute(FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%"), params or ())
            else:
                raw.execute(sql, params)
            if raw.description is not None:
                raw.fetchall()
    return (time.perf_counter() - started) * 1000


def measure(client: Any, name: str, url: str, runs: int, target: float, api: bool) -> Row:
    from django.db import connection

    headers = {"HTTP_ACCEPT": "application/json"} if api else {}

    from django.conf import settings

    # Production caches the dashboard until anything changes (reports.dashboard); the
    # "uncached" row measures what each change costs the first reader after it.
    settings.LIAISON_CACHE_SECONDS = 0 if "uncached" in url else 300

    cpu: list[float] = []

    def get() -> float:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url, **headers)
        elapsed = (time.perf_counter() - started) * 1000
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    for _ in range(2):
        get()
    capture = Capture()
    with connection.execute_wrapper(capture):
        get()
    cpu.clear()
    times = [get() for _ in range(runs)]
    sql_times = [bare_sql_time(capture.statements) for _ in range(max(3, runs // 2))]
    return Row(
        name,
        url,
        len(capture.statements),
        statistics.median(times),
        percentile(times, 0.95),
        statistics.median(sql_times),
        target,
        statistics.median(cpu),
    )


def pages(user: Any) -> list[tuple[str, str, float, bool]]:
    """(name, url, target, is_api) of what is measured, for records the user sees."""
    from django.db.models import Count

    from liaison.activities.models import Activity
    from liaison.partners.models import Organization, Person

    activity = (
        Activity.objects.visible_to(user)
        .filter(owner__memberships__user=user)
        .annotate(n=Count("participations", distinct=True) + Count("budget_lines", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    person = (
        Person.objects.visible_to(user)
        .annotate(n=Count("enrollments"))
        .order_by("-n", "pk")
        .first()
    )
    unit = Organization.objects.visible_to(user).filter(kind="unit").order_by("pk").first()
    if activity is None or person is None or unit is None:
        raise SystemExit("no synthetic data visible to the bench user")
    lists = [
        ("activities", "/activities/?status=implementation&sort=-planned_start"),
        ("activities search", "/activities/?q=formation&sort=title"),
        ("organisations", "/organizations/?kind=unit&sort=name_fr"),
        ("persons", "/persons/?gender=female&sort=full_name"),
        ("positions", "/positions/?is_current=true&sort=-start_date"),
        ("assignments", "/assignments/?sort=-start_date"),
        ("requests", "/requests/?status=received&sort=-received_on"),
        ("sessions", "/sessions/?sort=-start_date"),
        ("events", "/events/?kind=seminar&sort=-start_date"),
        ("vetting", "/vetting/?sort=-requested_on"),
    ]
    return [
        ("dashboard", "/", TARGET_DASHBOARD, False),
        ("dashboard uncached", "/?uncached", TARGET_DASHBOARD, False),
        *((f"list {n}", u, TARGET_PAGE, False) for n, u in lists),
        ("detail activity", f"/activities/{activity.pk}/", TARGET_PAGE, False),
        ("detail person", f"/persons/{person.pk}/", TARGET_PAGE, False),
        ("detail organisation", f"/organizations/{unit.pk}/", TARGET_PAGE, False),
        ("search traore", "/search/?q=traore", TARGET_PAGE, False),
        ("search haid", "/search/?q=haid", TARGET_PAGE, False),
        ("api activities", "/api/activities/?status=implementation", TARGET_PAGE, True),
        ("api activities q", "/api/activities/?q=logistique", TARGET_PAGE, True),
        ("api persons", "/api/persons/?ordering=full_name", TARGET_PAGE, True),
        ("api enrollments", "/api/enrollments/", TARGET_PAGE, True),
        ("api activity", f"/api/activities/{activity.pk}/", TARGET_PAGE, True),
        ("api person", f"/api/persons/{person.pk}/", TARGET_PAGE, True),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["small", "medium", "large"], default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--user", default="mcd-ml-synth-viewer")
    parser.add_argument("--only", default="", help="measure only the pages whose name holds this")
    args = parser.parse_args()
    setup(args.scale)
    ensure_data(args.scale, args.seed)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from liaison.activities.models import Activity

    user = get_user_model().objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    rows = []
    for name, url, target, api in pages(user):
        if args.only and args.only not in name:
            continue
        rows.append(measure(client, name, url, args.runs, target, api))
        print(".", end="", flush=True)
    print()
    print(
        f"Liaison bench — {connection.vendor}, scale {args.scale} "
        f"({Activity.objects.count():,} activities), user {args.user}, {args.runs} runs"
    )
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores; CPU: this process's CPU time")
    header = (
        f"{'page':22} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8} {'SQL ms':>8} "
        f"{'ratio':>6} {'target':>7}  ok"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.name:22} {r.queries:>7} {r.p50:>8.1f} {r.p95:>8.1f} {r.cpu:>8.1f} {r.sql:>8.1f} "
            f"{r.ratio:>6.1f} {r.target:>7.0f}  {'yes' if r.ok else 'NO'}"
        )


if __name__ == "__main__":
    main()
