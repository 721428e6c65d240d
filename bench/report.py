"""Time the PDF activity report and the analysis figures on the current database.

    LIAISON_DATA_DIR=... .venv/bin/python bench/report.py --workspace SLUG --year 2025

Prints one line per step (seconds) and the report's size; run it after `liaison demo` or
`liaison synth --scale medium`. A script that prints figures, not a timed test.
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--year", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django

    django.setup()
    from django.utils import translation

    from liaison.core.management.base import find_workspace
    from liaison.reports import analysis
    from liaison.reports.pdf import render_html, render_report, workspace_view

    workspace = find_workspace(args.workspace)
    rows = []
    with workspace_view(workspace) as reader, translation.override("fr"):
        for name, step in (
            ("portfolio figures (all visible)", lambda: analysis.portfolio(reader, {})),
            ("training figures (all visible)", lambda: analysis.training(reader, {})),
            ("advisors figures (all visible)", lambda: analysis.advisors(reader, {})),
            ("map (all visible)", lambda: analysis.map_figures(reader, {})),
            ("report HTML", lambda: render_html(reader, workspace, args.year, "fr")),
        ):
            started = time.perf_counter()
            step()
            rows.append((name, time.perf_counter() - started, ""))
        for lang in ("fr", "en"):
            started = time.perf_counter()
            pdf = render_report(reader, workspace, args.year, lang)
            rows.append((f"report PDF ({lang})", time.perf_counter() - started, f"{len(pdf):,} B"))
    print(f"{'step':36} {'seconds':>8}  size")
    for name, seconds, size in rows:
        print(f"{name:36} {seconds:8.2f}  {size}")


if __name__ == "__main__":
    main()
