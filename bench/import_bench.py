"""Benchmark: import 100,000 activities from CSV, on SQLite and on PostgreSQL.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--backends sqlite,postgres]
        [--children] [--postgres-url postgres://postgres@127.0.0.1:5432]

Each backend runs in its own process on a fresh, migrated database (a temporary SQLite
file; a PostgreSQL database `liaison_import_bench`, dropped and created again), so that
the peak memory (the process's maximum resident set size, Django included) is that of
one import. For each it times the dry run, the first import (every row created, with
its history row, audit link and search entry) and the same file again (every row
unchanged, nothing written), then prints a table. Targets: under 60 s, under 500 MB.
`--children` adds a participating organisation, a place and a budget line per activity.
The import's CPU time (this process only, not the PostgreSQL server's) and the machine's
load average are printed too: on a shared machine the wall-clock time depends on them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATABASE = os.environ.get("BENCH_DATABASE", "liaison_import_bench")


def write_file(path: Path, rows: int, children: bool) -> None:
    header = [
        "external_id",
        "title",
        "description",
        "activity_type",
        "status",
        "planned_start",
        "planned_end",
        "currency",
        "iati_identifier",
    ]
    if children:
        header += ["organisations", "places", "budget"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for i in range(rows):
            row = [
                f"BENCH-{i:06d}",
                f"Formation {i} au droit international humanitaire",
                "Cours de cinq jours pour les officiers du génie militaire.",
                ("training", "equipment", "advisory")[i % 3],
                ("pipeline", "implementation", "closed")[i % 3],
                f"2025-{1 + i % 12:02d}-01",
                f"2025-{1 + i % 12:02d}-28",
                "EUR",
                f"FR-3-BENCH-{i}",
            ]
            if children:
                row += [
                    "funding:BENCH-ORG",
                    "ML:ML-BKO:Bamako",
                    f"original:2025-01-01:2025-12-31:{1000 + i}.50:EUR",
                ]
            writer.writerow(row)


def run_one(backend: str, rows: int, children: bool, postgres_url: str) -> dict[str, Any]:
    """In a child process: set up a fresh database, import twice, report the figures."""
    data_dir = Path(tempfile.mkdtemp(prefix="liaison-bench-"))
    os.environ["LIAISON_DATA_DIR"] = str(data_dir)
    if backend == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    else:
        import psycopg

        with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            conn.execute(f"CREATE DATABASE {DATABASE}")
        os.environ["DATABASE_URL"] = f"{postgres_url}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from liaison.activities.models import Activity
    from liaison.core import audit
    from liaison.core.imports.engine import run_import
    from liaison.core.imports.spec import get_kind
    from liaison.core.models import AuditLink, Membership, SearchEntry, Workspace
    from liaison.partners.models import Organization

    call_command("migrate", verbosity=0)
    workspace = Workspace.objects.create(name="Bench", slug="bench")
    user = get_user_model().objects.create_user("bench")
    Membership.objects.create(user=user, workspace=workspace, role="editor")
    Organization.objects.create(owner=workspace, name_fr="Bailleur", external_id="BENCH-ORG")
    path = data_dir / "activities.csv"
    write_file(path, rows, children)
    kind = get_kind("activities")
    assert kind is not None

    cpu: dict[bool, float] = {}

    def timed(commit: bool) -> tuple[float, Any]:
        start, start_cpu = time.perf_counter(), time.process_time()
        report = run_import(kind, path, "csv", user=user, workspace=workspace, commit=commit)
        cpu[commit] = time.process_time() - start_cpu
        return time.perf_counter() - start, report

    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("timed(True)", globals(), locals(), os.environ["BENCH_PROFILE"])
        return {}
    dry, dry_report = timed(False)
    first, first_report = timed(True)
    first_cpu = cpu[True]
    assert first_report.committed, list(first_report.lines())[:20]
    links = AuditLink.objects.count()
    second, second_report = timed(True)
    assert second_report.counts["unchanged"] == rows
    assert AuditLink.objects.count() == links
    chain_ok = audit.verify()[1] is None
    result = {
        "backend": backend,
        "rows": rows,
        "children": children,
        "dry_run_s": round(dry, 1),
        "first_import_s": round(first, 1),
        "second_import_s": round(second, 1),
        "first_import_cpu_s": round(first_cpu, 1),
        "load": round(os.getloadavg()[0], 1),
        "created": first_report.counts["created"],
        "unchanged_second": second_report.counts["unchanged"],
        "activities": Activity.objects.count(),
        "history_rows": Activity.history.count(),  # type: ignore[attr-defined]
        "search_entries": SearchEntry.objects.count(),
        "audit_chain_ok": chain_ok,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if dry_report.counts["created"] != rows:  # pragma: no cover - a broken file
        result["dry_run_counts"] = dry_report.counts
    if backend == "postgres":
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--children", action="store_true")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.rows, args.children, args.postgres_url)))
        return
    results = []
    for backend in args.backends.split(","):
        command = [sys.executable, __file__, "--one", backend, "--rows", str(args.rows)]
        command += ["--postgres-url", args.postgres_url]
        if args.children:
            command.append("--children")
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode != 0:
            print(f"{backend}: failed\n{done.stderr[-3000:]}", file=sys.stderr)
            continue
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    columns = [
        ("backend", "database"),
        ("rows", "rows"),
        ("dry_run_s", "dry run (s)"),
        ("first_import_s", "import (s)"),
        ("first_import_cpu_s", "import, CPU of this process (s)"),
        ("second_import_s", "same file again (s)"),
        ("peak_rss_mb", "peak memory (MB)"),
        ("history_rows", "history rows"),
        ("audit_chain_ok", "audit chain ok"),
        ("load", "load average"),
    ]
    widths = [max(len(label), *(len(str(r[key])) for r in results)) for key, label in columns]
    print(
        "Import of activities from CSV"
        + (" (each with an organisation, a place and a budget line)" if args.children else "")
        + " — targets: under 60 s, under 500 MB"
    )
    print(" | ".join(label.ljust(w) for (_, label), w in zip(columns, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in results:
        print(" | ".join(str(r[key]).ljust(w) for (key, _), w in zip(columns, widths, strict=True)))


if __name__ == "__main__":
    main()
