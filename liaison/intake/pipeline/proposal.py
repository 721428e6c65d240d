"""Proposal step: mentions grouped into the organisations, persons and places of the
document (an acronym with its long form, a surname with the full name), persons with
their rank, title, position and organisation, and the activities or events the
sentences describe, with donors, beneficiaries, dates and place."""

# Typographic apostrophes and dashes are meant: texts are written with them.
# ruff: noqa: RUF003

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import regex

from liaison.core.text import fold_aligned, name_key, sentences
from liaison.intake.extraction import (
    ActivityMention,
    DateMention,
    OrganizationMention,
    PersonMention,
    PlaceMention,
)
from liaison.intake.pipeline.entities import Mention
from liaison.intake.pipeline.resolution import GazetteerIndex


@dataclass
class _Org:
    mentions: list[Mention] = field(default_factory=list)
    acronym: str = ""

    @property
    def name(self) -> str:
        longs = [m.text for m in self.mentions if m.text != self.acronym and len(m.text) > 1]
        longs = [t for t in longs if not (t.isupper() and len(t) <= 12)] or longs
        if self.mentions[0].known is not None and not longs:
            return self.mentions[0].known.name
        return max(longs, key=len) if longs else self.acronym or self.mentions[0].text


def group_organizations(
    mentions: list[Mention], index: GazetteerIndex
) -> list[OrganizationMention]:
    groups: list[_Org] = []
    by_key: dict[str, _Org] = {}
    for m in mentions:
        if m.label != "ORG":
            continue
        acronym = m.rule.acronym if m.rule is not None else ""
        k = name_key(m.text)
        group = by_key.get(k)
        if group is None and m.known is not None:
            group = by_key.get(f"pk:{m.known.model}:{m.known.pk}")
        if group is None and acronym and m.rule is not None and m.rule.text != acronym:
            group = by_key.get(name_key(acronym))  # the long form of an acronym seen before
        if group is None:
            group = _Org()
            groups.append(group)
        group.mentions.append(m)
        by_key[k] = group
        if m.known is not None:
            by_key[f"pk:{m.known.model}:{m.known.pk}"] = group
            for alias in m.known.aliases:
                by_key.setdefault(name_key(alias), group)
        if acronym:
            group.acronym = group.acronym or acronym
            by_key[name_key(acronym)] = group
    out: list[OrganizationMention] = []
    for g in groups:
        name = g.name
        acronym = g.acronym
        if not acronym:
            shorts = [m.text for m in g.mentions if m.text.isupper() and 2 <= len(m.text) <= 12]
            acronym = shorts[0] if shorts else ""
        seen = {name_key(name), name_key(acronym)}
        aliases = []
        for m in g.mentions:
            if name_key(m.text) not in seen:
                seen.add(name_key(m.text))
                aliases.append(m.text)
        first = min(g.mentions, key=lambda m: m.start)
        names = [name, acronym, *aliases]
        out.append(
            OrganizationMention(
                name=name,
                acronym=acronym,
                aliases=aliases,
                span=(first.start, first.end),
                confidence=max(m.confidence for m in g.mentions),
                candidates=index.candidates("ORG", *[n for n in names if n]),
            )
        )
    return out


def _org_within(orgs: list[OrganizationMention], mentions: list[Mention], s: int, e: int) -> str:
    for m in mentions:
        if m.label == "ORG" and s <= m.start and m.end <= e:
            return _org_name_for(orgs, m)
    return ""


def _org_like_position(orgs: list[OrganizationMention], position: str) -> str:
    """ "Directeur de la justice militaire" → the "Direction de la justice militaire"."""
    words_ = name_key(position).split()[1:]
    while words_ and words_[0] in ("de", "des", "du", "la", "le", "l", "d", "of", "the"):
        words_ = words_[1:]
    tail = " ".join(words_)
    if len(words_) < 2:
        return ""
    for o in orgs:
        if f" {tail}" in f" {name_key(o.name)}":
            return o.name
    return ""


def _org_name_for(orgs: list[OrganizationMention], m: Mention) -> str:
    k = name_key(m.text)
    for o in orgs:
        if k in {name_key(o.name), name_key(o.acronym), *(name_key(a) for a in o.aliases)}:
            return o.name
    return m.text


def group_persons(
    text: str, mentions: list[Mention], orgs: list[OrganizationMention], index: GazetteerIndex
) -> list[PersonMention]:
    people: list[PersonMention] = []
    by_key: dict[str, PersonMention] = {}
    pers = [m for m in mentions if m.label == "PER"]
    org_keys = {name_key(o.name) for o in orgs} | {name_key(o.acronym) for o in orgs if o.acronym}
    # Full names first, so that a surname alone joins the person it belongs to.
    for m in sorted(pers, key=lambda m: (-len(m.text.split()), m.start)):
        k = name_key(m.text)
        if not k or k in org_keys:
            continue
        person = by_key.get(k)
        if person is None and len(m.text.split()) == 1:
            person = next((p for p in people if name_key(p.name).split()[-1] == k), None)
            if person is None and m.rule is None and m.known is None:
                continue  # one capitalised word that spaCy calls a person: too weak
        if person is None:
            person = PersonMention(name=m.known.name if m.known else m.text, span=(m.start, m.end))
            if m.known is not None:
                person.name = m.text
            people.append(person)
        by_key[k] = person
        person.confidence = max(person.confidence, m.confidence)
        if m.start < person.span[0] and len(m.text.split()) > 1:
            person.span = (m.start, m.end)
        r = m.rule
        if r is not None:
            if r.rank and not person.title_or_rank:
                person.title_or_rank = r.rank
            elif r.title and not person.title_or_rank:
                person.title_or_rank = r.title
            if r.position and not person.position:
                person.position = r.position
                s, e = r.position_span
                person.organization = person.organization or _org_within(orgs, mentions, s, e)
                if not person.organization:
                    person.organization = _org_like_position(orgs, r.position)
            if r.title and not person.position:
                person.position = r.title
            if not person.title_or_rank and r.position:
                person.title_or_rank = r.position
            if not person.organization:
                # "l’ambassade américaine Chargé d’Affaires Wallace Bain"
                title_start = r.position_span[0] if r.position else m.start - len(r.title) - 1
                for o in mentions:
                    if o.label == "ORG" and 0 <= title_start - o.end <= 3:
                        person.organization = _org_name_for(orgs, o)
        if m.known is not None and not person.candidates:
            person.title_or_rank = person.title_or_rank or str(m.known.extra.get("rank", ""))
    for p in people:
        p.candidates = index.candidates("PER", p.name)
    people.sort(key=lambda p: p.span[0])
    return people


def group_places(
    mentions: list[Mention], index: GazetteerIndex, orgs: list[OrganizationMention] | None = None
) -> list[PlaceMention]:
    out: list[PlaceMention] = []
    seen: dict[str, PlaceMention] = {}
    org_keys = {
        k
        for o in orgs or []
        for k in (
            name_key(o.name),
            name_key(o.acronym),
            *map(name_key, o.aliases),
            name_key(o.acronym)[:12].split(" ")[0],
        )
        if k
    }
    for m in mentions:
        if m.label != "LOC" or (m.known is None and name_key(m.text) in org_keys):
            continue
        canonical = m.known.name if m.known is not None else m.text
        k = name_key(canonical)
        if k in seen:
            continue
        place = PlaceMention(
            name=m.text,
            span=(m.start, m.end),
            country=str(m.known.extra.get("alpha2", "")).lower() if m.known else "",
            confidence=m.confidence,
            candidates=index.candidates("LOC", m.text) if m.known is None else [],
        )
        if m.known is not None and m.known.pk:
            from liaison.intake.extraction import Candidate

            place.candidates = [Candidate(m.known.model, m.known.pk, m.known.name, 1.0)]
        seen[k] = place
        out.append(place)
    return out


# --- Activities -----------------------------------------------------------------------

TRIGGERS: list[tuple[str, str]] = [
    (
        "agreement",
        r"conventions? de partenariat|accords? de cooperation|memorandum|protocole "
        r"d.accord|agreements?|\bmou\b|a signe|ont signe|signed|signature de",
    ),
    ("exercise", r"\bexercices?\b(?! (?:de|d.) ?entrainement)|manoeuvres?|\bexercises?\b|drills?"),
    ("visit", r"\bvisite\b|s.est rendue?|\bvisit(?:ed|s)?\b|deplacement"),
    (
        "infrastructure",
        r"\bconstruction\b|rehabilitation|infrastructures?|renovation|caserne|"
        r"\bbuilt\b|barracks|refurbish\w*|realisation du projet",
    ),
    (
        "equipment",
        r"\bequipements?\b|\bequipement des\b|fourniture|\bdons? de\b|livraison|"
        r"remise (?:de|des|officielle)|\bequipment\b|deliver(?:y|ed)|donat(?:ion|ed)|handed over",
    ),
    (
        "financing",
        r"financement|\bfinance(?:r|e|es)?\b|subvention|\bfunding\b|\bfunded\b|"
        r"\bgrant\b|assure financierement",
    ),
    ("advisory", r"conseil en|conseillers?|\badvis(?:ory|ers?|ors?)\b|mentor\w*"),
    (
        "other",
        r"assistance (?:technique|dans les domaines techniques)|\blogistique\b|"
        r"technical assistance|\blogistics\b",
    ),
    (
        "training",
        r"\bformations?\b|\bstages?\b|\bcours\b|entrainement|seminaires?|ateliers?|"
        r"\btraining\b|\bcourses?\b|seminars?|workshops?|\btrained\b",
    ),
]
_TRIGGERS = [(t, regex.compile(p)) for t, p in TRIGGERS]
_DONOR_CUE = regex.compile(
    r"(?:en partenariat avec|avec le soutien d[eu]|avec l.appui d[eu]|finance(?:e|es)? par|"
    r"offert(?:e|s|es)? par|organise(?:e|s|es)? par|conduit(?:e|s|es)? par|dispense(?:e)? par|"
    r"in partnership with|with (?:the )?support (?:of|from)|funded by|provided by|donated by|"
    r"sponsored by|delivered by|organi[sz]ed by|led by|conducted by)\s*$"
)
_BENEFICIARY_CUE = regex.compile(
    r"(?:au profit d(?:es|e la|e l.|u|e)|au benefice d(?:es|e la|e l.|u|e)|a l.intention d(?:es|e "
    r"la|e l.|u|e)|destine(?:e|s|es)? a(?:ux| la| l.)?|pour (?:les|la|le|l.)|aux|"
    r"for(?: the)?|to(?: the)?|benefit(?:ing|s)? (?:of )?(?:the )?)\s*$"
)


def _impossible_month(d: DateMention) -> str | None:
    start, end = d.iso_start or "", d.iso_end or ""
    common = ""
    for a, b in zip(start.split("-"), end.split("-"), strict=False):
        if a != b:
            break
        common = f"{common}-{a}" if common else a
    return common or None


_DATELINE_HEAD = regex.compile(
    r"^\p{Lu}[\p{L}’'\- ]{1,40},\s*(?:\p{Lu}[\p{L} \-]+,\s*)?(?:le\s+)?$"  # noqa: RUF001
)


def _in_dateline(text: str, d: DateMention) -> bool:
    """ "KOULIKORO, 3 March 2022 - ...": the report's date, not the action's."""
    line_start = text.rfind("\n", 0, d.span[0]) + 1
    return bool(_DATELINE_HEAD.match(text[line_start : d.span[0]]))


def _date_for(
    text: str,
    position: int,
    triggers: list[tuple[int, str]],
    sentence_dates: list[DateMention],
) -> tuple[str | None, str | None, list[str]]:
    """The date of the action named at `position`: the most precise date of its sentence
    with no other action named between them; a dateline's date (the report's) last."""

    def between(d: DateMention) -> bool:
        a, b = sorted((position, d.span[0]))
        return any(a < p < b for p, _ in triggers if p != position)

    def rank(d: DateMention) -> tuple[int, int]:
        precision = len(d.iso_start or "")
        return (-precision + (20 if _in_dateline(text, d) else 0), abs(d.span[0] - position))

    usable = [d for d in sentence_dates if not between(d)]
    if not usable:
        return None, None, []
    d = min(usable, key=rank)
    if _in_dateline(text, d) and len(sentence_dates) == 1 and d.span[0] < position - 60:
        return None, None, []  # only the dateline's date, far from the action
    if "impossible_range" in d.flags:
        month = _impossible_month(d)
        return month, month, list(d.flags)
    return d.iso_start, d.iso_end, []


def propose_activities(
    text: str,
    mentions: list[Mention],
    dates: list[DateMention],
    orgs: list[OrganizationMention],
) -> list[ActivityMention]:
    found: dict[tuple[str, str | None], ActivityMention] = {}
    folded = fold_aligned(text)
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    for s, e in sentences(text):
        first = bisect.bisect_left(starts, s)
        last = bisect.bisect_left(starts, e)
        in_sentence = [m for m in ordered[first:last] if m.end <= e]
        # Words inside a name ("Centre d'entraînement") trigger nothing.
        chars = list(folded[s:e])
        for m in in_sentence:
            if m.label == "ORG":
                chars[m.start - s : m.end - s] = " " * (m.end - m.start)
        sentence = "".join(chars)
        triggers: list[tuple[int, str]] = []
        for t, pattern in _TRIGGERS:
            hit = pattern.search(sentence)
            if hit:
                triggers.append((s + hit.start(), t))
        if len(triggers) > 1:
            # "funded by" beside another action says who pays for it: not an action itself
            triggers = [x for x in triggers if x[1] != "financing"]
        triggers.sort()
        types = [t for _, t in triggers]
        if not types:
            continue
        sentence_dates = [d for d in dates if s <= d.span[0] < e and d.iso_start]
        if not in_sentence and not sentence_dates:
            continue
        donors: list[str] = []
        beneficiaries: list[str] = []
        place = None
        for m in in_sentence:
            before = folded[max(s, m.start - 40) : m.start]
            name = _org_name_for(orgs, m) if m.label == "ORG" else m.text
            if m.label in ("ORG", "LOC") and _DONOR_CUE.search(before):
                donors.append(name)
            elif m.label == "ORG" and _BENEFICIARY_CUE.search(before):
                beneficiaries.append(name)
            elif m.label == "LOC" and place is None:
                place = m.text
        if not donors:
            lead = [m for m in in_sentence if m.label in ("ORG", "LOC") and m.start - s < 40]
            if lead and lead[0].text not in beneficiaries:
                donors.append(
                    _org_name_for(orgs, lead[0]) if lead[0].label == "ORG" else lead[0].text
                )
        summary = " ".join(text[s:e].split())
        if len(summary) > 240:
            summary = summary[:237] + "..."
        for position, t in triggers[:3]:
            start, end, date_flags = _date_for(text, position, triggers, sentence_dates)
            ident = (t, start)
            act = found.get(ident)
            if act is None:
                found[ident] = ActivityMention(
                    type=t,
                    summary=summary,
                    donor=list(dict.fromkeys(donors)),
                    beneficiary=list(dict.fromkeys(beneficiaries)),
                    start=start,
                    end=end,
                    place=place if place not in donors else None,
                    span=(s, e),
                    confidence=round(0.5 + 0.15 * bool(sentence_dates) + 0.15 * bool(donors), 2),
                    date_flags=date_flags,
                )
            else:
                act.donor = list(dict.fromkeys([*act.donor, *donors]))
                act.beneficiary = list(dict.fromkeys([*act.beneficiary, *beneficiaries]))
    # An undated mention of a type the document dates elsewhere is that activity.
    dated = {t for (t, start) in found if start}
    out = []
    for (t, start), act in found.items():
        if start is None and t in dated:
            continue
        out.append(act)
    out.sort(key=lambda a: a.span[0])
    return out
