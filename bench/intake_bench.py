"""Throughput of the whole intake extract against spaCy's NER alone (tok2vec + ner),
on the same documents, the model loaded once; prints a table.

    .venv/bin/python bench/intake_bench.py [--repeat N] [--rounds N] [--size CHARS]

Documents: the annotated corpus (liaison/intake/tests/corpus), each padded by repetition
to about --size characters (5,000 by default, as in issue 6), repeated --repeat times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

import django

django.setup()

from liaison.intake.pipeline import extract, nlp  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "liaison" / "intake" / "tests" / "corpus"


def documents(size: int) -> list[tuple[str, str]]:
    docs = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        body = text
        while len(body) < size:
            body += "\n\n" + text
        docs.append((path.name, body[: max(size, len(text))]))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=5000)
    args = parser.parse_args()
    docs = documents(args.size) * args.repeat
    chars = sum(len(t) for _, t in docs)
    model = nlp.load()
    # Warm up both (lingua, dateparser and the model load lazily).
    for name, text in docs[:3]:
        extract(text, filename=name)
        list(model.pipe([text]))
    spacy_runs: list[float] = []
    single_runs: list[float] = []
    extract_runs: list[float] = []
    # Interleaved rounds, best of each: the machine is shared, and a neighbour's burst
    # should not be read as the pipeline's cost.
    for _ in range(args.rounds):
        start = time.perf_counter()
        list(model.pipe(t for _, t in docs))
        spacy_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _, text in docs:
            model(text)
        single_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        for name, text in docs:
            extract(text, filename=name)
        extract_runs.append(time.perf_counter() - start)
    rows = [
        ("spaCy NER alone, nlp.pipe", min(spacy_runs), statistics.median(spacy_runs)),
        ("spaCy NER alone, one by one", min(single_runs), statistics.median(single_runs)),
        ("intake extract (all steps)", min(extract_runs), statistics.median(extract_runs)),
    ]
    # The ratio is against the faster of the two ways of running the model alone.
    baseline = len(docs) / min(rows[0][1], rows[1][1])
    print(f"{len(docs)} documents, {chars / len(docs):.0f} characters each on average, ")
    print(f"{args.rounds} interleaved rounds (best and median of each)")
    print(f"{'run':<32}{'best s':>8}{'docs/s':>8}{'median s':>10}{'ratio':>7}")
    for label, best, median in rows:
        rate = len(docs) / best
        print(f"{label:<32}{best:>8.2f}{rate:>8.1f}{median:>10.2f}{rate / baseline:>7.2f}")
    # On a shared machine the load changes from one run to the next: the ratio of each
    # round's extract to the same round's faster model-alone run is the steadier figure.
    paired = [min(p, o) / x for p, o, x in zip(spacy_runs, single_runs, extract_runs, strict=True)]
    print(
        f"throughput ratio, extract / spaCy NER alone, per round: median "
        f"{statistics.median(paired):.2f} (rounds: {', '.join(f'{r:.2f}' for r in paired)})"
    )


if __name__ == "__main__":
    main()
