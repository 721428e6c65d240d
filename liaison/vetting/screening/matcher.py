"""The screening matcher: an in-memory index of list entries and a scorer.

Blocking: each strong token of each name of an entry is filed under its sound key
(normalize.phonetic of the canonical token). A query looks up the keys of its own tokens;
keys shared by too many names (a "Mohamed" in a list of 300,000) are used only when the
query has nothing rarer, and then as an intersection. A C-speed ratio on the sorted
canonical tokens then drops the obvious misses before the token-by-token scorer runs.

Scoring: the strong tokens of the two names are aligned order-insensitively (greedy on
the best pair first), each pair scored 1 when equal after transliteration, 0.9 for an
initial or the same sound, else its Levenshtein similarity. The name score averages how
much of the query and how much of the listed name is covered. Birth date and nationality
then support (a little) or contradict (a lot). Each hit carries the parts of its
explanation as codes and parameters (see explain.py) so it can be shown in any language.
"""

from __future__ import annotations

import datetime
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from liaison.vetting.screening.normalize import (
    SOFT_WORDS,
    Name,
    _name_tokens,
    name_tokens,
    phonetic,
    sound_key,
)

DEFAULT_THRESHOLD = 0.80
PREFILTER_CUTOFF = 60.0
MIN_PAIR = 0.7
MIN_SOUND_PAIR = 0.6  # two words of the same sound need less spelling in common
# A name whose words in common are all common in the list (Mohamed, Ahmed, Abdallah...)
# and that leaves a word unmatched is capped below the threshold: only a birth date or a
# nationality in common can make it a hit.
COMMON_SHARE = 0.004
COMMON_CAP = 0.78
# Exponents of the coverage of the query and of the listed name (see coverage_score).
QUERY_COVERAGE = 1.0
ENTRY_COVERAGE = 0.5

PERSON_SCHEMAS = frozenset({"Person"})
ORG_SCHEMAS = frozenset({"Organization", "Company", "PublicBody"})
EITHER_SCHEMAS = frozenset({"LegalEntity"})
KIND_CODES = {"person": 1, "organization": 2, "any": 3}


def schema_kind(schema: str) -> str | None:
    if schema in PERSON_SCHEMAS:
        return "person"
    if schema in ORG_SCHEMAS:
        return "organization"
    if schema in EITHER_SCHEMAS:
        return "any"
    return None  # vessels, aircraft, addresses...: not screened against people or units


@dataclass(slots=True)
class Record:
    """A list entity as the matcher indexes it."""

    id: str
    schema: str
    caption: str
    names: list[str]
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    ref: int = 0  # the ScreeningEntry's pk when it comes from the database


@dataclass(slots=True)
class Query:
    names: list[str]
    birth_date: str | None = None
    countries: list[str] = field(default_factory=list)
    kind: str = "any"  # person, organization or any


@dataclass(slots=True)
class Hit:
    record: Record
    score: float
    name_score: float
    query_name: str
    entry_name: str
    explanation: list[dict[str, Any]]
    # other listings of the same person (same name, no other birth date): one hit for all
    duplicates: list[Record] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.record.id,
            "duplicates": [r.id for r in self.duplicates],
            "schema": self.record.schema,
            "caption": self.record.caption,
            "score": round(self.score, 3),
            "name_score": round(self.name_score, 3),
            "query_name": self.query_name,
            "matched_name": self.entry_name,
            "birth_dates": self.record.birth_dates,
            "countries": self.record.countries,
        }


# --- token and name scores ----------------------------------------------------------


def token_similarity(a: str, b: str, ra: str = "", rb: str = "") -> tuple[float, str]:
    """Canonical tokens a and b, as written ra and rb."""
    if a == b:
        return 1.0, "same"
    ra, rb = ra or a, rb or b
    if len(a) == 1 or len(b) == 1:
        return (0.9, "initial") if a[0] == b[0] or ra[0] == rb[0] else (0.0, "")
    sim = max(OSA.normalized_similarity(a, b), OSA.normalized_similarity(ra, rb))
    if sim >= MIN_SOUND_PAIR and (phonetic(a) == phonetic(b) or phonetic(ra) == phonetic(rb)):
        return max(sim, 0.9), "sound"  # Josef and Joseph, Chima and Cheema
    return sim, "spelling"


def _weight(token: str) -> float:
    return 0.5 if len(token) == 1 else 1.0


def _credit(s: float) -> float:
    return s if s >= 0.9 else s * s


def coverage_score(
    qt: Sequence[str], ct: Sequence[str], matched: Sequence[tuple[int, int, float, str]]
) -> float:
    """How alike the aligned words are, times how much of both names they cover.

    The aligned words give the quality (a word that is merely alike, not the same nor the
    same sound, counts for less). Every word left unmatched costs: on the query's side
    fully (a word the listed name does not have: "Ali Ahmad Hussein" is not "ALI, Ahmad"),
    on the listed side by the square root of the share covered (a listed patronymic or
    nasab the query leaves out: "Amadou Koufa" may be "KOUFA, Amadou Diallo").
    """
    mi = {i for i, _, _, _ in matched}
    mj = {j for _, j, _, _ in matched}
    wq = sum(_weight(t) for i, t in enumerate(qt) if i in mi or t not in SOFT_WORDS)
    wc = sum(_weight(t) for j, t in enumerate(ct) if j in mj or t not in SOFT_WORDS)
    if not matched or not wq or not wc:
        return 0.0
    mq = sum(_weight(qt[i]) for i, _, _, _ in matched)
    mc = sum(_weight(ct[j]) for _, j, _, _ in matched)
    quality = sum(_credit(s) * (_weight(qt[i]) + _weight(ct[j])) for i, j, s, _ in matched) / (
        mq + mc
    )
    return quality * (mq / wq) ** QUERY_COVERAGE * (mc / wc) ** ENTRY_COVERAGE


def name_similarity(q: Name, c: Name) -> tuple[float, list[tuple[int, int, float, str]]]:
    """Score in [0, 1] and the aligned pairs (query index, entry index, score, how)."""
    qt, ct = q.tokens, c.tokens
    if not qt or not ct:
        return 0.0, []
    qr, cr = q.raws or qt, c.raws or ct
    pairs = []
    for i, a in enumerate(qt):
        for j, b in enumerate(ct):
            s, how = token_similarity(a, b, qr[i], cr[j])
            if s >= MIN_PAIR:
                pairs.append((s, -i, -j, how))
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched: list[tuple[int, int, float, str]] = []
    for s, mi, mj, how in pairs:
        i, j = -mi, -mj
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        matched.append((i, j, s, how))
    score = coverage_score(qt, ct, matched)
    if len(matched) < 2 and min(len(qt), len(ct)) >= 2:
        score = min(score, 0.7)  # one shared word of two longer names is not a match
    elif len(matched) < 2 and max(len(qt), len(ct)) >= 2:
        score = min(score, 0.75)  # nor is one word against a longer name
    # Words written together on one side and apart on the other (Abdelhakim / Abd Hakim)
    compact = Levenshtein.normalized_similarity("".join(qt), "".join(ct))
    if compact > score and compact >= 0.85:
        return compact * 0.97, [(-1, -1, compact, "compact")]
    return score, matched


def _year(value: str) -> int | None:
    try:
        return int(value[:4])
    except ValueError:
        return None


def date_evidence(query: str | None, entry: Sequence[str]) -> tuple[float, dict[str, Any] | None]:
    if not query or not entry:
        return 0.0, None
    qy = _year(query)
    years = [y for y in (_year(d) for d in entry) if y]
    if qy is None or not years:
        return 0.0, None
    shown = ", ".join(entry)
    if len(query) >= 10 and query in entry:
        return 0.08, {"code": "dob_same", "date": query}
    partial = [d for d in entry if len(d) < 10 and query.startswith(d)]
    if partial:
        return 0.04, {"code": "dob_year", "query": query, "entry": partial[0]}
    if qy in years:
        return -0.05, {"code": "dob_same_year", "query": query, "entry": shown}
    if any(abs(qy - y) <= 1 for y in years):
        return 0.0, {"code": "dob_close", "query": query, "entry": shown}
    return -0.25, {"code": "dob_differs", "query": query, "entry": shown}


def country_evidence(
    query: Sequence[str], entry: Sequence[str]
) -> tuple[float, dict[str, Any] | None]:
    if not query or not entry:
        return 0.0, None
    common = sorted(set(query) & set(entry))
    if common:
        return 0.03, {"code": "country_same", "country": ", ".join(common).upper()}
    return -0.10, {
        "code": "country_differs",
        "query": ", ".join(query).upper(),
        "entry": ", ".join(entry).upper(),
    }


def explain_name(
    q: Name, c: Name, pairs: list[tuple[int, int, float, str]]
) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    if q.stripped:
        parts.append({"code": "stripped", "words": " ".join(q.stripped)})
    if c.stripped:
        parts.append({"code": "stripped", "words": " ".join(c.stripped)})
    for i, j, s, how in pairs:
        if how == "compact":
            parts.append({"code": "compact", "query": q.original, "entry": c.original})
            continue
        ra, rb = q.raws[i], c.raws[j]
        code = ("same" if ra == rb else "variant") if how == "same" else how
        parts.append({"code": code, "query": ra, "entry": rb, "pct": round(s * 100)})
    if pairs and pairs[0][3] != "compact":
        mq = {i for i, *_ in pairs}
        mc = {j for _, j, *_ in pairs}
        for i, t in enumerate(q.raws):
            if i not in mq:
                parts.append({"code": "missing_in_entry", "word": t})
        for j, t in enumerate(c.raws):
            if j not in mc:
                parts.append({"code": "extra_in_entry", "word": t})
    return parts


# --- the index ------------------------------------------------------------------------


class Index:
    """Entries of one or more lists, blocked by sound keys of their name tokens."""

    def __init__(self, records: Iterable[Record], common_cap: int | None = None) -> None:
        self.records: list[Record] = []
        self.name_record = array("i")
        self.name_pos = array("h")
        self.name_keys: list[str] = []
        self.kinds = array("b")
        postings: dict[str, list[int]] = {}
        for record in records:
            kind = schema_kind(record.schema)
            if kind is None:
                continue
            r = len(self.records)
            self.records.append(record)
            self.kinds.append(KIND_CODES[kind])
            seen: set[str] = set()
            for pos, name in enumerate(record.names[:32000]):
                tokens = _name_tokens(name, kind).tokens
                if not tokens:
                    continue
                sounds = [phonetic(t) for t in tokens]
                key = sound_key(tokens, sounds)
                if key in seen:
                    continue
                seen.add(key)
                idx = len(self.name_keys)
                self.name_keys.append(key)
                self.name_record.append(r)
                self.name_pos.append(pos)
                for k in {sounds[i] for i, t in enumerate(tokens) if len(t) > 1}:
                    postings.setdefault(k, []).append(idx)
        self.postings: dict[str, array[int]] = {k: array("i", v) for k, v in postings.items()}
        self.common_cap = common_cap or max(2000, len(self.name_keys) // 50)
        self.common_words = max(50, int(len(self.name_keys) * COMMON_SHARE))

    def is_common(self, token: str) -> bool:
        """A word so frequent in the list that sharing it says little (Mohamed, Ahmed)."""
        return len(token) == 1 or len(self.postings.get(phonetic(token), ())) > self.common_words

    def _only_common(self, q: Name, c: Name, pairs: list[tuple[int, int, float, str]]) -> bool:
        """Every word in common is a common one, and a word is left unmatched."""
        if not pairs or pairs[0][3] == "compact":
            return False
        if len(pairs) == len(q.tokens) == len(c.tokens):
            return False
        return all(self.is_common(q.tokens[i]) for i, *_ in pairs)

    def __len__(self) -> int:
        return len(self.records)

    def _candidates(self, names: list[Name]) -> set[int]:
        """Names sharing two sound keys with a query name, or one rare key."""
        found: set[int] = set()
        rare_cap = max(200, self.common_cap // 10)
        for n in names:
            keys = {phonetic(t) for t in n.tokens if len(t) > 1}
            lists = sorted((self.postings.get(k, array("i")) for k in keys), key=len)
            usable = [p for p in lists if len(p) <= self.common_cap]
            if not usable:
                if len(lists) >= 2:
                    found.update(set(lists[0]).intersection(lists[1]))
                elif lists:
                    found.update(lists[0])
                continue
            if len(usable) == 1 or len(usable[0]) <= rare_cap:
                found.update(usable[0])
            counts = Counter(
                chain.from_iterable(usable[1:] if len(usable[0]) <= rare_cap else usable)
            )
            for p in usable:
                if len(p) <= rare_cap:
                    found.update(p)
            found.update(i for i, k in counts.items() if k >= 2)
            if len(lists) > len(usable):  # a common key counts as the second one
                common = set(lists[len(usable)])
                found.update(i for i in counts if i in common)
        return found

    def search(
        self, query: Query, threshold: float = DEFAULT_THRESHOLD, exhaustive: bool = False
    ) -> list[Hit]:
        """Hits at or above threshold, best first. ``exhaustive`` scores every name
        (no blocking, no prefilter): for scoring given pairs, not for a large list."""
        qnames = [n for n in (name_tokens(x, query.kind) for x in query.names if x) if n.tokens]
        if not qnames:
            return []
        candidates = (
            list(range(len(self.name_keys))) if exhaustive else list(self._candidates(qnames))
        )
        wanted = (KIND_CODES[query.kind], 3) if query.kind != "any" else (1, 2, 3)
        keys = self.name_keys
        best: dict[int, tuple[float, float, Name, int, list[tuple[int, int, float, str]]]] = {}
        for qn in qnames:
            initials = any(len(t) == 1 for t in qn.tokens)
            choices = [keys[c] for c in candidates]
            close: set[int] = set(range(len(candidates))) if exhaustive else set()
            # Two orders of the query's words: a spelling variant can move a word in
            # the sorted key (Haidara / Haydara around Hamidou).
            for qkey in {qn.key, " ".join(reversed(qn.key.split()))} if not exhaustive else ():
                for _key, _ratio, at in process.extract(
                    qkey,
                    choices,
                    scorer=fuzz.token_set_ratio if initials else fuzz.ratio,
                    score_cutoff=PREFILTER_CUTOFF,
                    limit=None,
                ):
                    close.add(at)
            for at in sorted(close):
                c = candidates[at]
                r = self.name_record[c]
                if self.kinds[r] not in wanted:
                    continue
                record = self.records[r]
                kind = "person" if self.kinds[r] == 1 else "organization"
                cn = name_tokens(record.names[self.name_pos[c]], kind)
                s, pairs = name_similarity(qn, cn)
                if s < threshold - 0.3:
                    continue
                if s > COMMON_CAP and self._only_common(qn, cn, pairs):
                    s = COMMON_CAP
                prev = best.get(r)
                if prev is None or s > prev[0]:
                    best[r] = (s, 0.0, qn, c, pairs)
        hits: list[Hit] = []
        for r, (s, _, qn, c, pairs) in best.items():
            record = self.records[r]
            d_adj, d_part = date_evidence(query.birth_date, record.birth_dates)
            c_adj, c_part = country_evidence(query.countries, record.countries)
            adj = d_adj + c_adj
            if adj > 0 and s < 0.75:
                adj = 0.0  # supporting evidence never lifts a weak name into a hit
            score = max(0.0, min(1.0, s + adj))
            if score < threshold:
                continue
            kind = "person" if self.kinds[r] == 1 else "organization"
            entry_name = record.names[self.name_pos[c]]
            cn = name_tokens(entry_name, kind)
            parts: list[dict[str, Any]] = [{"code": "name", "entry": entry_name}]
            if entry_name != record.caption:
                parts[0]["code"] = "alias"
            parts += explain_name(qn, cn, pairs)
            parts += [p for p in (d_part, c_part) if p]
            hits.append(Hit(record, score, s, qn.original, entry_name, parts))
        hits.sort(key=lambda h: (-h.score, h.record.caption))
        return group_duplicates(hits)


def _same_person(a: Record, b: Record) -> bool:
    """Two listings of one person: the same name and no birth date that tells them apart."""
    if a.schema != b.schema or name_tokens(a.caption).key != name_tokens(b.caption).key:
        return False
    if a.birth_dates and b.birth_dates and not set(a.birth_dates) & set(b.birth_dates):
        return False
    return not (a.countries and b.countries and not set(a.countries) & set(b.countries))


def group_duplicates(hits: list[Hit]) -> list[Hit]:
    """Hits best first, the duplicate listings of one person folded into its best hit."""
    kept: list[Hit] = []
    for hit in hits:
        for first in kept:
            if _same_person(first.record, hit.record):
                first.duplicates.append(hit.record)
                break
        else:
            kept.append(hit)
    for hit in kept:
        if hit.duplicates:
            hit.explanation.append(
                {
                    "code": "duplicates",
                    "count": len(hit.duplicates),
                    "entries": ", ".join(r.id for r in hit.duplicates),
                }
            )
    return kept


def iso_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
