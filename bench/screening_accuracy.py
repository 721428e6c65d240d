"""Accuracy of the screening matcher, side by side with nomenklatura's logic-v2.

    .venv/bin/python bench/screening_accuracy.py [--sdn PATH] [--nk-python /tmp/nk-venv/bin/python]

0. Against the whole SDN list, query by query, side by side: the tuning set
   (bench/data/screening_variants.csv) and the evaluation set kept apart from it
   (bench/data/screening_evaluation/queries.csv: 500 variants of listed persons, 500+ real
   Sahel public figures who are not listed; see make_screening_evaluation.py). A query
   of a listed person is found when its entity (or a duplicate listing of it) is among
   the hits; a false hit is a look-alike with any hit, or a variant whose hits are all
   other persons. Precision = found / (found + false hits); recall = found / variants.
1. The labelled variant pairs of bench/data/screening_variants.csv (see
   make_screening_variants.py): precision and recall at the default threshold, and the
   share right per kind of variant.
2. Retrieval through the blocking index: each positive query searched in the whole SDN
   list (when --sdn is given or found) plus the listed persons; is its entity among the hits?
3. The 170 OFAC pairs (liaison/vetting/tests/data/nomenklatura_ofac_name_fixtures.csv):
   rank correlation with the score of OFAC's own tool.
Pairs are scored exhaustively (no blocking); section 2 measures what blocking loses.
nomenklatura runs only if its interpreter exists (a separate venv, not the project's).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings_test")

import django  # noqa: E402

django.setup()

from liaison.vetting.screening.formats import read_ofac_csv, to_record  # noqa: E402
from liaison.vetting.screening.matcher import DEFAULT_THRESHOLD, Index, Query, Record  # noqa: E402

VARIANTS = ROOT / "bench/data/screening_variants.csv"
EVALUATION = ROOT / "bench/data/screening_evaluation/queries.csv"
OFAC_PAIRS = ROOT / "liaison/vetting/tests/data/nomenklatura_ofac_name_fixtures.csv"
SDN_CANDIDATES = [
    ROOT.parent / "shared/data/screening/ofac_sdn_full_20240503.csv",
    Path("/work/shared/data/screening/ofac_sdn_full_20240503.csv"),
]
NK_THRESHOLD = 0.70  # yente's default for logic-v2


def split(value: str) -> list[str]:
    return [v for v in value.split(";") if v]


def ours(query: Query, record: Record) -> float:
    hits = Index([record]).search(query, threshold=0.0, exhaustive=True)
    return hits[0].score if hits else 0.0


def pr(scores: list[float], labels: list[int], threshold: float) -> tuple[float, float, int, int]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, fp, fn


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: list[float], b: list[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else 0.0


def run_nk(python: str, pairs: list[dict]) -> dict | None:
    if not Path(python).exists():
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(pairs, fh)
    try:
        out = subprocess.run(
            [python, str(ROOT / "bench/nk_logic_v2.py"), fh.name],
            capture_output=True, text=True, check=True, timeout=900,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"nomenklatura did not run: {exc}")
        return None
    finally:
        os.unlink(fh.name)
    result: dict = json.loads(out.stdout)
    return result


def whole_list_figures(
    index: Index, queries: list[Query], expected: list[str | None], threshold: float
) -> dict[str, Any]:
    """Query-level figures through the index (blocking included)."""
    found = missed = false = extra = raised = right = 0
    misses: list[int] = []
    falses: list[tuple[int, list[str]]] = []
    t = time.perf_counter()
    for i, (query, want) in enumerate(zip(queries, expected, strict=True)):
        hits = index.search(query, threshold)
        ids = {h.record.id for h in hits} | {d.id for h in hits for d in h.duplicates}
        raised += len(hits)
        right += sum(
            1 for h in hits if want in {h.record.id, *(d.id for d in h.duplicates)}
        )
        if want is None:
            if hits:
                false += 1
                falses.append((i, [f"{h.entry_name} ({h.score:.2f})" for h in hits[:3]]))
            continue
        if want in ids:
            found += 1
            extra += len(hits) > 1
        else:
            missed += 1
            misses.append(i)
            if hits:
                false += 1
                falses.append((i, [f"{h.entry_name} ({h.score:.2f})" for h in hits[:3]]))
    took = time.perf_counter() - t
    positives = found + missed
    return {
        "n": len(queries), "positives": positives, "negatives": len(queries) - positives,
        "found": found, "missed": missed, "false": false, "extra": extra, "time": took,
        "precision": found / (found + false) if found + false else 1.0,
        "hit_precision": right / raised if raised else 1.0, "raised": raised,
        "recall": found / positives if positives else 1.0,
        "misses": misses, "falses": falses,
    }  # fmt: skip


def print_side_by_side(tuning: dict[str, Any], evaluation: dict[str, Any] | None) -> None:
    cols = [("tuning set", tuning)] + ([("evaluation set", evaluation)] if evaluation else [])
    print(f"{'':<34}" + "".join(f"{c:>18}" for c, _ in cols))
    rows = [
        ("queries (variants + look-alikes)", lambda f: f"{f['positives']} + {f['negatives']}"),
        ("precision", lambda f: f"{f['precision']:.3f}"),
        ("recall", lambda f: f"{f['recall']:.3f}"),
        ("variants found", lambda f: f"{f['found']}/{f['positives']}"),
        ("false hits (queries)", lambda f: str(f["false"])),
        ("found, with other hits too", lambda f: str(f["extra"])),
        ("hits raised (all queries)", lambda f: str(f["raised"])),
        ("hits on the right person", lambda f: f"{f['hit_precision']:.3f}"),
        ("time to screen", lambda f: f"{f['time']:.2f}s"),
    ]
    for label, fmt in rows:
        print(f"{label:<34}" + "".join(f"{fmt(f):>18}" for _, f in cols))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sdn", type=Path, default=None)
    parser.add_argument("--nk-python", default="/tmp/nk-venv/bin/python")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    args = parser.parse_args()
    rows = list(csv.DictReader(VARIANTS.open(encoding="utf-8")))
    queries, records, labels = [], [], []
    for r in rows:
        queries.append(Query([r["query_name"]], r["query_birth_date"] or None,
                             split(r["query_country"]), "person"))  # fmt: skip
        name = r["entity_name"]
        alias = " ".join(reversed(name.split(", ", 1))) if ", " in name else name
        records.append(Record(r["entity_id"], "Person", name, [name, alias],
                              split(r["entity_birth_dates"]), split(r["entity_countries"])))  # fmt: skip
        labels.append(int(r["label"]))
    t = time.perf_counter()
    our_scores = [ours(q, e) for q, e in zip(queries, records, strict=True)]
    our_time = time.perf_counter() - t
    nk_pairs = [
        {"query": {"names": q.names, "birth_dates": [q.birth_date] if q.birth_date else [],
                   "countries": q.countries},
         "entity": {"names": e.names, "birth_dates": e.birth_dates, "countries": e.countries}}
        for q, e in zip(queries, records, strict=True)
    ]  # fmt: skip
    nk = run_nk(args.nk_python, nk_pairs)
    nk_scores = nk["scores"] if nk else None

    print(f"== 1. Variant pairs: {len(rows)} ({sum(labels)} matches, "
          f"{len(labels) - sum(labels)} look-alike non-matches)")  # fmt: skip
    p, r, fp, fn = pr(our_scores, labels, args.threshold)
    print(
        f"{'matcher':<28}{'threshold':>10}{'precision':>11}{'recall':>8}{'FP':>5}{'FN':>5}{'time':>9}"
    )
    print(
        f"{'liaison screening':<28}{args.threshold:>10.2f}{p:>11.3f}{r:>8.3f}{fp:>5}{fn:>5}{our_time:>8.2f}s"
    )
    if nk_scores is not None and nk:
        p2, r2, fp2, fn2 = pr(nk_scores, labels, NK_THRESHOLD)
        print(f"{'nomenklatura logic-v2':<28}{NK_THRESHOLD:>10.2f}{p2:>11.3f}{r2:>8.3f}{fp2:>5}"
              f"{fn2:>5}{nk['score_s']:>8.2f}s  (+{nk['warmup_s']:.1f}s warm-up, "
              f"peak RSS {nk['peak_rss_mb']:.0f} MB)")  # fmt: skip
    else:
        print("nomenklatura logic-v2: not run (no interpreter at --nk-python)")
    print()
    print(f"{'kind':<17}{'label':>6}{'n':>5}{'liaison right':>15}{'logic-v2 right':>16}")
    kinds = sorted({(r["kind"], int(r["label"])) for r in rows}, key=lambda k: (-k[1], k[0]))
    for kind, label in kinds:
        idx = [i for i, r in enumerate(rows) if r["kind"] == kind]
        mine = sum(1 for i in idx if (our_scores[i] >= args.threshold) == bool(label)) / len(idx)
        theirs = (
            f"{sum(1 for i in idx if (nk_scores[i] >= NK_THRESHOLD) == bool(label)) / len(idx):>16.3f}"
            if nk_scores else f"{'-':>16}"
        )  # fmt: skip
        print(f"{kind:<17}{label:>6}{len(idx):>5}{mine:>15.3f}{theirs}")
    wrong = [i for i in range(len(rows)) if (our_scores[i] >= args.threshold) != bool(labels[i])]
    if wrong:
        print("\nliaison errors:")
        for i in wrong:
            print(f"  {rows[i]['kind']:<15} {our_scores[i]:.3f}  {rows[i]['query_name']!r} "
                  f"{rows[i]['query_birth_date']} vs {rows[i]['entity_name']!r}")  # fmt: skip

    sdn = args.sdn or next((p for p in SDN_CANDIDATES if p.exists()), None)
    if sdn:
        print(f"\n== 0./2. Against the whole SDN list ({sdn.name}) plus the tuning set's "
              f"listed persons, threshold {args.threshold:.2f}")  # fmt: skip
        listed = {e.id: e for e in records}
        t = time.perf_counter()
        index = Index([*(to_record(e) for e in read_ofac_csv(sdn)), *listed.values()])
        print(f"index of {len(index)} entities built in {time.perf_counter() - t:.2f}s")
        # the tuning set: a look-alike pair is a query whose entity must not be hit
        tuning = whole_list_figures(
            index, queries, [records[i].id if y else None for i, y in enumerate(labels)],
            args.threshold,
        )  # fmt: skip
        evaluation = None
        if EVALUATION.exists():
            # the evaluation set against the OFAC list alone (no fictional persons)
            t = time.perf_counter()
            index = Index(to_record(e) for e in read_ofac_csv(sdn))
            print(f"index of {len(index)} entities (the SDN list alone) built in "
                  f"{time.perf_counter() - t:.2f}s")  # fmt: skip
            erows = list(csv.DictReader(EVALUATION.open(encoding="utf-8")))
            equeries = [Query([r["query_name"]], r["query_birth_date"] or None,
                              split(r["query_country"]), "person") for r in erows]  # fmt: skip
            expected = [r["entity_id"] if r["label"] == "1" else None for r in erows]
            evaluation = whole_list_figures(index, equeries, expected, args.threshold)
        print_side_by_side(tuning, evaluation)
        for label, figures, qrows in (("tuning", tuning, rows),
                                      ("evaluation", evaluation, erows if evaluation else [])):  # fmt: skip
            if not figures:
                continue
            for i in figures["misses"]:
                name = qrows[i].get("entity_name", "")
                print(f"  {label} missed: {qrows[i]['query_name']!r} -> {name!r}")
            for i, shown in figures["falses"]:
                print(f"  {label} false hit: {qrows[i]['query_name']!r} -> {'; '.join(shown)}")

    print("\n== 3. The 170 OFAC pairs (score of OFAC's own search tool, 0-100)")
    ofac = list(csv.DictReader(OFAC_PAIRS.open(encoding="utf-8")))
    o_scores = [float(r["ofac_score"]) / 100 for r in ofac]
    mine = [ours(Query([r["query_name"]]), Record("x", "LegalEntity", r["result_name"],
                                                  [r["result_name"]])) for r in ofac]  # fmt: skip
    nk2 = run_nk(args.nk_python, [
        {"query": {"schema": "LegalEntity", "names": [r["query_name"]]},
         "entity": {"schema": "LegalEntity", "names": [r["result_name"]]}} for r in ofac
    ])  # fmt: skip
    print(f"{'matcher':<28}{'Spearman vs OFAC':>17}{'pairs >= thr':>14}{'OFAC=100 >= thr':>17}")
    full = [i for i, s in enumerate(o_scores) if s >= 1.0]

    def line(label: str, scores: list[float], thr: float) -> None:
        above = sum(1 for s in scores if s >= thr)
        exact = sum(1 for i in full if scores[i] >= thr)
        print(f"{label:<28}{spearman(scores, o_scores):>17.3f}{above:>10}/{len(scores)}"
              f"{exact:>13}/{len(full)}")  # fmt: skip

    line("liaison screening", mine, args.threshold)
    if nk2:
        line("nomenklatura logic-v2", nk2["scores"], NK_THRESHOLD)
    print(f"{'OFAC tool':<28}{1.0:>17.3f}{sum(1 for s in o_scores if s >= 0.9):>10}/{len(o_scores)}"
          "  (its >= 0.90)")  # fmt: skip
    print("\nOFAC 100 that liaison scores below its threshold:")
    for i in full:
        if mine[i] < args.threshold:
            print(f"  {mine[i]:.2f}  {ofac[i]['query_name']!r} vs {ofac[i]['result_name']!r}")
    print("\nside by side (first 40):")
    print(f"{'query':<22}{'result':<40}{'OFAC':>6}{'liaison':>9}{'logic-v2':>10}")
    for i, r in enumerate(ofac[:40]):
        theirs = f"{nk2['scores'][i]:>10.2f}" if nk2 else f"{'-':>10}"
        print(f"{r['query_name'][:21]:<22}{r['result_name'][:39]:<40}{o_scores[i]:>6.2f}"
              f"{mine[i]:>9.2f}{theirs}")  # fmt: skip


if __name__ == "__main__":
    main()
