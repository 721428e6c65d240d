"""Resolution step: what the database already knows (a Gazetteer) found in the text,
and each mention matched to candidate records with a score (rapidfuzz over names folded
for accents and case, aliases and acronyms included, token order ignored)."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from liaison.core.text import name_key, words
from liaison.intake.extraction import Candidate
from liaison.intake.gazetteer import Gazetteer, KnownName

_MAX_WORDS = 12
_SCORE_CUTOFF = 86.0


@dataclass
class GazetteerHit:
    label: str  # ORG, PER, LOC
    start: int
    end: int
    text: str
    known: KnownName


class GazetteerIndex:
    """Folded names (and aliases, acronyms) of a Gazetteer, for lookup in text and for
    fuzzy matching. Build once per gazetteer (``index_for``)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.exact: dict[str, tuple[str, KnownName]] = {}
        self.choices: dict[str, list[tuple[str, KnownName]]] = {"ORG": [], "PER": [], "LOC": []}
        for label, names in (
            ("LOC", gazetteer.places),
            ("ORG", gazetteer.organizations),
            ("PER", gazetteer.persons),
        ):
            for known in names:
                for name in (known.name, *known.aliases):
                    k = name_key(name)
                    if not k:
                        continue
                    self.exact[k] = (label, known)
                    self.choices[label].append((k, known))
        self._keys = {label: [k for k, _ in pairs] for label, pairs in self.choices.items()}
        # The longest name (in words) beginning with each first word: most words of a
        # text begin no known name, and cost one dictionary look-up.
        self.first: dict[str, int] = {}
        for k in self.exact:
            parts = k.split(" ")
            self.first[parts[0]] = max(self.first.get(parts[0], 0), len(parts))

    def find(self, text: str) -> list[GazetteerHit]:
        """Known names written in the text, longest first, without overlaps. A short
        name (an acronym) must not be written all in lower case ("un" is not the UN)."""
        toks = words(text)
        hits: list[GazetteerHit] = []
        i = 0
        while i < len(toks):
            longest = self.first.get(toks[i][0], 0)
            for n in range(min(longest, _MAX_WORDS, len(toks) - i), 0, -1):
                k = " ".join(t[0] for t in toks[i : i + n])
                found = self.exact.get(k)
                if found is None:
                    continue
                s, e = toks[i][1], toks[i + n - 1][2]
                surface = text[s:e]
                if (len(k) <= 5 or n == 1) and surface.islower():
                    continue
                if n == 1 and not surface[:1].isupper():
                    continue
                hits.append(GazetteerHit(found[0], s, e, surface, found[1]))
                i += n - 1
                break
            i += 1
        return hits

    def candidates(self, label: str, *names: str, limit: int = 3) -> list[Candidate]:
        """Records this mention may be, best first, scores 0-1."""
        best: dict[tuple[str, int], Candidate] = {}
        pairs = self.choices.get(label, [])
        keys = self._keys.get(label, [])
        for name in names:
            k = name_key(name)
            if not k:
                continue
            for _match, score, idx in process.extract(
                k, keys, scorer=fuzz.token_sort_ratio, limit=limit, score_cutoff=_SCORE_CUTOFF
            ):
                known = pairs[idx][1]
                cand = Candidate(known.model, known.pk, known.name, round(score / 100, 3))
                ident = (known.model, known.pk)
                if ident not in best or best[ident].score < cand.score:
                    best[ident] = cand
        return sorted(best.values(), key=lambda c: -c.score)[:limit]


@lru_cache(maxsize=1)
def builtin_places() -> tuple[KnownName, ...]:
    """Countries in English and French (pycountry), the places every text may name; used
    when no database gazetteer is given (pk 0: not a record)."""
    import pycountry

    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    out = []
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name), fr.gettext(c.name)}
        for extra in (getattr(c, "official_name", None),):
            if extra:
                names.add(extra)
        name = getattr(c, "common_name", None) or c.name
        out.append(KnownName("geo.country", 0, name, sorted(names - {name}), {"alpha2": c.alpha_2}))
    out.append(KnownName("geo.country", 0, "United States", ["États-Unis", "Etats-Unis"],
                         {"alpha2": "US"}))  # fmt: skip
    return tuple(out)


_INDEXES: dict[int, tuple[Gazetteer, GazetteerIndex]] = {}


def index_for(gazetteer: Gazetteer | None) -> GazetteerIndex:
    """The index of this gazetteer (cached while the gazetteer object lives), the
    built-in countries always included."""
    gaz = gazetteer or _EMPTY
    cached = _INDEXES.get(id(gaz))
    if cached is not None and cached[0] is gaz:
        return cached[1]
    places = [*builtin_places(), *gaz.places]
    index = GazetteerIndex(Gazetteer(gaz.organizations, gaz.persons, places))
    if len(_INDEXES) > 16:
        _INDEXES.clear()
    _INDEXES[id(gaz)] = (gaz, index)
    return index


_EMPTY = Gazetteer()
