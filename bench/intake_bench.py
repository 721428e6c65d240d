"""Throughput of the whole intake extract against spaCy's NER alone (tok2vec + ner),
on the same documents, the model loaded once; prints a table.

    .venv/bin/python bench/intake_bench.py [--repeat N] [--size CHARS]

Documents: the annotated corpus (liaison/intake/tests/corpus), each padded by repetition
to about --size characters (5,000 by default, as in issue 6), repeated --repeat times.
"""

from __future__ import annotations

import argparse
import os
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
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", type=int, default=5000)
    args = parser.parse_args()
    docs = documents(args.size) * args.repeat
    chars = sum(len(t) for _, t in docs)
    model = nlp.load()
    # Warm up both (lingua, dateparser and the model load lazily).
    for name, text in docs[:3]:
        extract(text, filename=name)
        list(model.pipe([text]))
    rows = []
    for label, run in (
        ("spaCy NER alone (tok2vec+ner)", lambda: list(model.pipe(t for _, t in docs))),
        ("intake extract (all steps)", lambda: [extract(t, filename=n) for n, t in docs]),
        ("spaCy NER alone, again", lambda: list(model.pipe(t for _, t in docs))),
    ):
        start = time.perf_counter()
        run()
        seconds = time.perf_counter() - start
        rows.append((label, seconds, len(docs) / seconds))
    baseline = (rows[0][2] + rows[2][2]) / 2
    print(f"{len(docs)} documents, {chars / len(docs):.0f} characters each on average")
    print(f"{'run':<32}{'seconds':>9}{'docs/s':>9}{'ratio':>8}")
    for label, seconds, rate in rows:
        print(f"{label:<32}{seconds:>9.2f}{rate:>9.1f}{rate / baseline:>8.2f}")


if __name__ == "__main__":
    main()
