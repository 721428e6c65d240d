"""Time `liaison backup`, `backup --checksum` and `liaison restore` on a synthetic database.

    .venv/bin/python bench/backup_restore.py [ACTIVITIES]          # SQLite -> SQLite
    TARGET_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_restore \\
        .venv/bin/python bench/backup_restore.py 20000              # SQLite -> PostgreSQL

Builds a fresh SQLite database with ACTIVITIES activities (each with a participating
organisation and a budget line, and their history rows), then prints the time and size of
each step. The target database must not exist yet or be empty (PostgreSQL: it is created).
Prints figures; asserts only that the checksums agree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIAISON = [sys.executable, "-m", "liaison"]

SEED = """
import datetime, decimal
from django.db import transaction
from liaison.core.models import Workspace
from liaison.activities.models import Activity, ActivityParticipation, BudgetLine
from liaison.partners.models import Organization
n = {n}
with transaction.atomic():
    ws = Workspace.objects.create(name="Bench", slug="bench")
    orgs = Organization.objects.bulk_create(
        [Organization(owner=ws, name_fr="Unité %d" % i) for i in range(max(1, n // 10))]
    )
    acts = Activity.objects.bulk_create(
        [Activity(owner=ws, title="Action %d" % i, description="x" * 200) for i in range(n)],
        batch_size=2000,
    )
    ActivityParticipation.objects.bulk_create(
        [ActivityParticipation(activity=a, organization=orgs[i % len(orgs)], role="funding")
         for i, a in enumerate(acts)], batch_size=2000)
    BudgetLine.objects.bulk_create(
        [BudgetLine(activity=a, period_start=datetime.date(2024, 1, 1),
                    period_end=datetime.date(2024, 12, 31), amount=decimal.Decimal("1000.50"))
         for a in acts], batch_size=2000)
    Activity.history.bulk_history_create(acts, batch_size=2000)
"""


def run(args: list[str], url: str, data: Path) -> tuple[float, str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LIAISON_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
    }
    start = time.perf_counter()
    done = subprocess.run(
        [*LIAISON, *args], env=env, capture_output=True, text=True, cwd=ROOT, check=True
    )
    return time.perf_counter() - start, done.stdout.strip()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = f"sqlite:///{folder / 'source.sqlite3'}"
        target = os.environ.get("TARGET_URL") or f"sqlite:///{folder / 'target.sqlite3'}"
        if target.startswith("postgres"):
            name = target.rsplit("/", 1)[1]
            admin = target.rsplit("/", 1)[0] + "/postgres"
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        run(["migrate", "-v0"], source, folder / "a")
        run(["shell", "-c", SEED.format(n=count)], source, folder / "a")
        run(["migrate", "-v0"], target, folder / "b")
        archive = folder / "backup.zip"
        backup_s, checksum = run(["backup", str(archive)], source, folder / "a")
        sum_s, again = run(["backup", "--checksum", str(archive)], source, folder / "a")
        restore_s, restored = run(["restore", str(archive)], target, folder / "b")
        second = folder / "second.zip"
        backup2_s, checksum2 = run(["backup", str(second)], target, folder / "b")
        assert checksum == again == restored == checksum2, (checksum, again, restored, checksum2)
        engine = "PostgreSQL" if target.startswith("postgres") else "SQLite"
        print(f"activities: {count}, archive: {archive.stat().st_size / 1e6:.1f} MB")
        print(f"{'step':<32}{'seconds':>10}")
        print(f"{'backup (SQLite)':<32}{backup_s:>10.1f}")
        print(f"{'backup --checksum':<32}{sum_s:>10.1f}")
        print(f"{'restore into ' + engine:<32}{restore_s:>10.1f}")
        print(f"{'backup (' + engine + ')':<32}{backup2_s:>10.1f}")
        print(f"checksums agree: {checksum[:16]}…")


if __name__ == "__main__":
    main()
