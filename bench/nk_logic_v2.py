"""Score pairs with nomenklatura's logic-v2 (run with the interpreter of a separate venv).

Reads a JSON list of pairs {"query": {...}, "entity": {...}} from the file given as the
first argument; writes {"scores": [...], "warmup_s", "score_s", "peak_rss_mb"} to stdout.
Each entity gets a fresh id: logic-v2 caches results by entity id.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def main() -> None:
    started = time.perf_counter()
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = algorithm.default_config()

    def make(n: int, side: str, data: dict) -> object:
        entity = model.make_entity(data.get("schema", "Person"))
        entity.id = f"{side}-{n}"
        for name in data.get("names", []):
            entity.add("name", name)
        for date in data.get("birth_dates", []):
            entity.add("birthDate", date)
        for country in data.get("countries", []):
            entity.add("nationality", country)
        return entity

    warm = make(0, "warm", {"names": ["Warm Up"]})
    algorithm.compare(warm, make(0, "warm2", {"names": ["Warm Upp"]}), config)
    warmup = time.perf_counter() - started
    pairs = json.load(open(sys.argv[1], encoding="utf-8"))
    t = time.perf_counter()
    scores = []
    for n, pair in enumerate(pairs):
        q = make(n, "q", pair["query"])
        e = make(n, "e", pair["entity"])
        scores.append(algorithm.compare(q, e, config).score)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(
        {"scores": scores, "warmup_s": warmup, "score_s": time.perf_counter() - t,
         "peak_rss_mb": peak},
        sys.stdout,
    )  # fmt: skip


if __name__ == "__main__":
    main()
