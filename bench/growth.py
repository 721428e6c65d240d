"""How the cost of each page and API call grows with the data (issue 23).

    make bench-growth                            # small -> medium on SQLite (data-bench/)
    make bench-growth GROWTH="--quick"           # tiny -> small: a quick run
    make bench-growth GROWTH="--scales medium large \
        --database-url postgres://postgres@127.0.0.1:5432/liaison_growth"

Two synthetic worlds (`liaison synth` at two scales, same seed) live in two databases:
SQLite files data-bench/<scale>.sqlite3, or PostgreSQL databases <url>_<scale>. Each is
served by its own worker process, which requests the calls through Django's test Client
(in process: no HTTP server, so the figure is Django's, templates and SQL included) as the
same kind of user (a workspace viewer, `--user`). The parent drives both workers in
lockstep: every call is timed on the small world then the large one (the order alternating
from run to run), call after call, so that a busy machine weighs on both alike. What is
timed is the CPU time the worker spends on the request (SQLite runs in the worker's
process, so its queries count; on PostgreSQL the server's share does not): wall-clock
time on a shared machine mostly measures the other processes. Printed per call: the
median CPU milliseconds on each world, their ratio large / small, the ratio of the
wall-clock medians, and the queries each ran, sorted by ratio (worst first).

Calls: every list page with and without a text filter, every API list with and without
`?q=`, one detail page of every kind, the dashboard uncached, global search, the
analysis pages, the map, the calendar and the timeline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Factors of the large scale (liaison.demo.synth.SCALES), plus a tiny one for quick runs.
FACTORS = {"tiny": 0.0004, "small": 0.002, "medium": 0.1, "large": 1.0}
TARGET_RATIO = 1.5
# Words of the text filters: a short one (under the trigram index's three characters)
# and a longer one, as users type them.
WORDS = ("ma", "formation")


# --- worker: one world --------------------------------------------------------------


def worker_setup(scale: str, database_url: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings_test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    data = ROOT / "data-bench"
    data.mkdir(exist_ok=True)
    if database_url:
        os.environ["DATABASE_URL"] = f"{database_url}_{scale}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data / f'{scale}.sqlite3'}"
    os.environ.setdefault("LIAISON_DATA_DIR", str(data))
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    import gc

    gc.collect()
    gc.freeze()  # as liaison/wsgi.py does in production


def ensure_world(scale: str, seed: int) -> None:
    from django.core.management import call_command

    from liaison.core.context import acting_as
    from liaison.core.models import Workspace
    from liaison.demo.synth import synthesize

    call_command("migrate", verbosity=0)
    if Workspace.objects.filter(slug__endswith="-synth").exists():
        return
    started = time.monotonic()
    with acting_as(None, channel="command"):
        synthesize(FACTORS[scale], seed, lambda line: None)
    print(f"synth {scale}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)


def calls(user: Any) -> list[tuple[str, str, bool]]:
    """(name, url, is_api) of every call measured, for records `user` sees: the same
    names on every world (detail pages: the first record of each kind in the user's own
    workspace, else the first the user sees)."""
    from django.urls import get_resolver, reverse
    from django.urls.exceptions import NoReverseMatch

    from liaison.api_urls import ENDPOINTS
    from liaison.core.querysets import visible
    from liaison.core.registry import record_models

    found: list[tuple[str, str, bool]] = [
        ("dashboard uncached", "/?uncached", False),
        ("search ma", "/search/?q=ma", False),
        ("search traore", "/search/?q=traore", False),
        ("analysis portfolio", "/analysis/", False),
        ("analysis training", "/analysis/training/", False),
        ("analysis advisors", "/analysis/advisors/", False),
        ("map", "/map/", False),
        ("calendar", "/calendar/", False),
        ("calendar list", "/calendar/?view=list", False),
        ("timeline", "/timeline/", False),
    ]
    lists: list[tuple[str, str]] = []

    def walk(resolver: Any, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                ns = pattern.namespace or ""
                if ns in ("admin", "api"):
                    continue
                walk(pattern, f"{namespace}{ns}:" if ns else namespace)
            elif pattern.name and pattern.name.endswith("_list"):
                lists.append((pattern.name, f"{namespace}{pattern.name}"))

    walk(get_resolver(), "")
    for name, route in sorted(set(lists)):
        try:
            url = reverse(route)
        except NoReverseMatch:
            continue
        label = name.removesuffix("_list")
        found.append((f"list {label}", url, False))
        for word in WORDS:
            found.append((f"list {label} q={word}", f"{url}?q={word}", False))
    for prefix, viewset, _basename in sorted(ENDPOINTS, key=lambda e: e[0]):
        found.append((f"api {prefix}", f"/api/{prefix}/", True))
        if getattr(viewset, "filterset_class", None) is not None:
            found.append((f"api {prefix} q=ma", f"/api/{prefix}/?q=ma", True))
    for model in sorted(record_models(), key=lambda m: m._meta.label):
        if not hasattr(model, "get_absolute_url"):
            continue
        seen = visible(model, user).order_by("pk")
        first = seen.filter(owner__memberships__user=user).first() or seen.first()
        if first is None:
            continue
        try:
            url = first.get_absolute_url()
        except NoReverseMatch:
            continue
        found.append((f"detail {model._meta.model_name}", url, False))
    return found


def worker(scale: str, seed: int, username: str, database_url: str) -> None:
    """Answer the parent's commands, one JSON line each: "calls", then [url, api] to time."""
    worker_setup(scale, database_url)
    ensure_world(scale, seed)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    out = sys.stdout
    for line in sys.stdin:
        command = json.loads(line)
        if command == "calls":
            from liaison.activities.models import Activity

            answer: Any = {"calls": calls(user), "activities": Activity.objects.count()}
        else:
            url, api = command
            # The dashboard is cached per user until anything changes: the uncached call
            # measures what the first reader after a change pays.
            settings.LIAISON_CACHE_SECONDS = 0 if "uncached" in url else 300
            headers = {"HTTP_ACCEPT": "application/json"} if api else {}
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url, **headers)
                elapsed = (time.perf_counter() - started) * 1000
                cpu = (time.process_time() - cpu_started) * 1000
            answer = {
                "ms": elapsed,
                "cpu": cpu,
                "status": response.status_code,
                "queries": len(queries),
            }
        out.write(json.dumps(answer) + "\n")
        out.flush()


# --- parent: both worlds in lockstep -----------------------------------------------


class World:
    def __init__(self, scale: str, args: argparse.Namespace) -> None:
        self.scale = scale
        self.process = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                scale,
                "--seed",
                str(args.seed),
                "--user",
                args.user,
                "--database-url",
                args.database_url,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )

    def ask(self, command: Any) -> Any:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.scale} world's worker stopped")
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", nargs=2, default=["small", "medium"], choices=list(FACTORS))
    parser.add_argument("--quick", action="store_true", help="tiny -> small, 3 runs")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--user", default="mcd-ml-synth-viewer")
    parser.add_argument("--database-url", default="", help="PostgreSQL: <url>_<scale> each")
    parser.add_argument("--only", default="", help="only the calls whose name holds this")
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.seed, args.user, args.database_url)
        return
    if args.quick:
        args.scales, args.runs = ["tiny", "small"], min(args.runs, 3)
    small, large = World(args.scales[0], args), World(args.scales[1], args)
    try:
        listed = [small.ask("calls"), large.ask("calls")]
        names = {name: (url, api) for name, url, api in listed[0]["calls"]}
        other = {name: (url, api) for name, url, api in listed[1]["calls"]}
        todo = [n for n in names if n in other and (not args.only or args.only in n)]
        times: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in todo}
        walls: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in todo}
        queries: dict[str, tuple[int, int]] = {}
        for run in range(args.runs + 1):  # the first run warms up and is not counted
            for name in todo:
                pair = ((0, small, names[name]), (1, large, other[name]))
                for side, world, (url, api) in pair if run % 2 == 0 else pair[::-1]:
                    answer = world.ask([url, api])
                    if answer["status"] != 200:
                        raise SystemExit(f"{world.scale} {url}: {answer['status']}")
                    if run:
                        times[name][side].append(answer["cpu"])
                        walls[name][side].append(answer["ms"])
                    else:
                        q = list(queries.get(name, (0, 0)))
                        q[side] = answer["queries"]
                        queries[name] = (q[0], q[1])
            print(".", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
    finally:
        small.close()
        large.close()
    rows = []
    for name in todo:
        a, b = statistics.median(times[name][0]), statistics.median(times[name][1])
        wall = statistics.median(walls[name][1]) / max(statistics.median(walls[name][0]), 1e-9)
        rows.append((name, a, b, b / a if a else float("inf"), wall, *queries[name]))
    rows.sort(key=lambda r: -r[3])
    vendor = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"Liaison growth — {vendor}, Django test client, {args.scales[0]} "
        f"({listed[0]['activities']:,} activities) -> {args.scales[1]} "
        f"({listed[1]['activities']:,}), user {args.user}, median of {args.runs} runs, "
        f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    a_head, b_head = f"{args.scales[0]} ms", f"{args.scales[1]} ms"
    header = f"{'call':44} {a_head:>10} {b_head:>10} {'ratio':>6} {'wall':>6} {'queries':>9}  ok"
    print(header)
    print("-" * len(header))
    for name, a, b, ratio, wall, qa, qb in rows:
        print(
            f"{name:44} {a:>10.1f} {b:>10.1f} {ratio:>6.2f} {wall:>6.2f} {f'{qa}/{qb}':>9}  "
            f"{'yes' if ratio <= TARGET_RATIO else 'NO'}"
        )
    over = sum(1 for r in rows if r[3] > TARGET_RATIO)
    print(f"{len(rows)} calls, {over} over the ratio {TARGET_RATIO}")


if __name__ == "__main__":
    main()
