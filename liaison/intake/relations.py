"""The links a proposal's record will have, derived from what the pipeline read.

A link is a dict stored in `Proposal.links`:

    {"kind": "participation", "role": "funding", "name": "DIILS", "proposal": 12,
     "record": "", "state": ""}

`kind` says what it becomes (LINK_KINDS), `role` its role or title, `name` the words of
the text, `proposal` the proposal of the same document it points to (its record once
decided), `record` an existing record the reviewer chose instead ("app.model:pk"), and
`state` "made" once the link exists or "dropped" when the reviewer dropped it.

Nothing here reads the database: the derivation works on the proposals being stored (with
their pks) and the extraction, so that it can be tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from liaison.core.ranks import forms as rank_forms
from liaison.core.text import fold, fold_aligned, sentences

# What each kind of link points to (the proposal kinds it may target), and its label.
LINK_KINDS: dict[str, tuple[tuple[str, ...], Any]] = {
    "participation": (("organization",), _("participating organisation")),
    "place": (("place",), _("place")),
    "agreement": (("agreement",), _("agreement")),
    "parent": (("activity",), _("parent programme")),
    "party": (("organization",), _("party")),
    "organiser": (("organization",), _("organiser")),
    "participant": (("person", "organization"), _("participant")),
    "position": (("organization",), _("position in")),
    "parent_org": (("organization",), _("part of")),
}
# The records a link may point to instead of a proposal, by proposal kind.
TARGET_MODELS: dict[str, tuple[str, ...]] = {
    "organization": ("partners.organization",),
    "person": ("partners.person",),
    "place": ("geo.country", "geo.subdivision"),
    "agreement": ("activities.agreement",),
    "activity": ("activities.activity",),
}


def role_choices(kind: str) -> list[tuple[str, Any]]:
    """The roles a link of this kind may take (empty: a free title, or none)."""
    if kind == "participation":
        from liaison.activities.choices import ParticipationRole

        return list(ParticipationRole.choices)
    if kind == "participant":
        from liaison.events.models import Participant

        return list(Participant.Role.choices)
    return []


def link(
    kind: str, name: str, target: int | None, role: str = "", source: str = ""
) -> dict[str, Any]:
    """A link; `source` names the proposal's field it was read from (re-read when the
    reviewer corrects that field)."""
    return {"kind": kind, "role": role, "name": name, "proposal": target, "record": "",
            "state": "", "from": source}  # fmt: skip


# --- what the words say ----------------------------------------------------------------

_RANKS = sorted({fold(f) for f in rank_forms()}, key=len, reverse=True)


def is_rank(words: str) -> bool:
    """Whether the words are a rank ("colonel-major"), not a function ("Ambassadeur de
    France"): the whole words, or the words begin with a rank and say nothing more."""
    folded = fold(words).strip(" .")
    return bool(folded) and any(folded == r or folded == f"{r}." for r in _RANKS)


# Organisation kinds by the words of the name (the first that matches wins).
_KINDS: list[tuple[str, str]] = [
    ("embassy", r"\bambassade|\bembassy|mission de (?:cooperation de )?defense|attache de defense|"
                r"defen[cs]e (?:attache|mission)|\bconsulat"),
    ("ministry", r"\bministere|\bministry|\bdepartment of (?:defen[cs]e|state)|\bpentagon"),
    ("school", r"\becole|\bschool|\bacademie|\bacademy|\bcollege|\binstitut|\binstitute|"
               r"centre (?:de|d.)\s*(?:formation|entrainement|instruction)|training cent(?:er|re)|"
               r"\bemp\b"),
    ("unit", r"\bbataillon|\bbattalion|\bregiment|\bbrigade|\bcompagnie\b|\bcompany\b(?= of)|"
             r"\bescadron|\bsquadron|\bgtia\b|groupement tactique|tactical group|\bdivision\b|"
             r"\bgarde nationale|national guard|\bgendarmerie|\bgroupement\b"),
    ("armed_group", r"\bjnim\b|\betat islamique|islamic state|\bgsim\b|\bfla\b|\bmilice"),
    ("international", r"\bnations unies|united nations|\bonu\b|\bminusma\b|\bunion europeenne|"
                      r"european union|\beutm\b|\botan\b|\bnato\b"),
    ("regional", r"\bcedeao\b|\becowas\b|union africaine|african union|\bg5\b|force africaine|"
                 r"african standby"),
    ("armed_force", r"forces? armees|armed forces|\barmee\b|\barmy\b|\bforce aerienne|\bair force|"
                    r"\bmarine\b|\bnavy\b"),
    ("government", r"\bgouvernement|\bgovernment|\bpresidence|\bprimature"),
]  # fmt: skip
_KIND_RES = [(k, re.compile(p)) for k, p in _KINDS]

# Countries by the adjective or name a text gives them (ISO alpha-2).
_COUNTRIES: list[tuple[str, str]] = [
    ("ml", r"\bmali(?:en|enne|ens|ennes|an|ans)?\b"),
    ("fr", r"\bfran(?:ce|cais|caise|caises|ch)\b"),
    ("us", r"\bamericain(?:e|es|s)?\b|\bunited states\b|\betats-unis\b|\bu\.?s\.?\b|\bamerican\b"),
    ("td", r"\btchad(?:ien|ienne|iens|iennes)?\b|\bchad(?:ian)?\b"),
    ("ne", r"\bniger(?:ien|ienne|iens|iennes)?\b"),
    ("bf", r"\bburkina(?: faso)?\b|\bburkinabe\b"),
    ("sn", r"\bsenegal(?:ais|aise|ese)?\b"),
    ("mr", r"\bmauritani(?:e|en|enne|an)\b"),
    ("ci", r"\bivoirien(?:ne)?\b|\bcote d.ivoire\b"),
    ("de", r"\ballemand(?:e)?\b|\ballemagne\b|\bgerman(?:y)?\b"),
    ("gb", r"\bbritannique\b|\broyaume-uni\b|\bbritish\b|\bunited kingdom\b"),
]
_COUNTRY_RES = [(c, re.compile(p)) for c, p in _COUNTRIES]


def organization_kind(name: str) -> str:
    """The organisation kind (partners.choices.OrganizationKind) its name says, or ""."""
    folded = fold(name)
    for kind, pattern in _KIND_RES:
        if pattern.search(folded):
            return kind
    return ""


def organization_country(name: str) -> str:
    """The country (alpha-2, lower case) its name gives ("forces armées maliennes")."""
    if organization_kind(name) in ("international", "regional", "armed_group"):
        return ""
    folded = fold(name)
    for code, pattern in _COUNTRY_RES:
        if pattern.search(folded):
            return code
    return ""


# --- links of the proposals of one document --------------------------------------------


class Names:
    """The proposals of a document by the names the text gives them."""

    def __init__(self, proposals: Iterable[Any]) -> None:
        self.by_name: dict[tuple[str, str], Any] = {}
        self.proposals = list(proposals)
        for p in self.proposals:
            for name in names_of(p):
                self.by_name.setdefault((p.kind, fold(name)), p)

    def find(self, kinds: Iterable[str], name: str) -> Any:
        key = fold(name)
        if not key:
            return None
        for kind in kinds:
            found = self.by_name.get((kind, key))
            if found is not None:
                return found
        # "M. Haïdara": a surname alone is the person of that surname.
        for p in self.proposals:
            if p.kind in kinds and p.kind == "person" and fold(p.label).split()[-1:] == [key]:
                return p
        return None

    def within(self, kind: str, start: int, end: int) -> list[Any]:
        return [p for p in self.proposals if p.kind == kind and start <= p.start < end]


def names_of(proposal: Any) -> list[str]:
    """The names a proposal goes by: its label, name, acronym and aliases."""
    fields = proposal.fields or {}
    names = [proposal.label, str(fields.get("name") or ""), str(fields.get("acronym") or "")]
    names += [a.strip() for a in str(fields.get("aliases") or "").split(",")]
    return [n for n in dict.fromkeys(names) if n.strip()]


def _named(
    names: Names, kind: str, role: str, fields: dict[str, Any], source: str
) -> list[dict[str, Any]]:
    out = []
    for name in split(fields.get(source)):
        target = names.find(("organization",), name)
        out.append(link(kind, name, target.pk if target is not None else None, role, source))
    return out


def split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


def participations(names: Names, kind: str, fields: dict[str, Any]) -> list[dict[str, Any]]:
    """The links its donors and beneficiaries make, by the kind of proposal (the person's
    organisation and function: the position it holds)."""
    if kind == "activity":
        return [
            *_named(names, "participation", "funding", fields, "donor"),
            *_named(names, "participation", "beneficiary", fields, "beneficiary"),
        ]
    if kind == "agreement":
        return [
            *_named(names, "party", "", fields, "donor"),
            *_named(names, "party", "", fields, "beneficiary"),
        ]
    if kind == "event":
        return [
            *_named(names, "organiser", "", fields, "donor"),
            *_named(names, "participant", "attendee", fields, "beneficiary"),
        ]
    if kind == "person":
        title = str(fields.get("position") or "")
        if title and fields.get("organization"):
            found = _named(names, "position", title, fields, "organization")
            for x in found:
                x["from"] = "position"  # re-read when the title or the organisation change
            return found
    return []


def place_links(names: Names, fields: dict[str, Any]) -> list[dict[str, Any]]:
    place = str(fields.get("place") or "").strip()
    if not place:
        return []
    target = names.find(("place",), place)
    return [link("place", place, target.pk if target is not None else None, "", "place")]


# The fields the links are read from: correcting one re-reads them.
LINKED_FIELDS = ("donor", "beneficiary", "organization", "position", "place")


def reread(proposal: Any, siblings: Iterable[Any], changed: set[str]) -> None:
    """The reviewer corrected fields that links are read from: those links again."""
    sources = {"position" if f in ("organization", "position") else f for f in changed}
    sources &= {"donor", "beneficiary", "position", "place"}
    if not sources or proposal.kind not in ("activity", "event", "agreement", "person"):
        return
    names = Names(siblings)
    kept = [x for x in proposal.links if x.get("from") not in sources]
    fresh = [
        x for x in participations(names, proposal.kind, proposal.fields) if x.get("from") in sources
    ]
    if "place" in sources and proposal.kind != "agreement":
        fresh += place_links(names, proposal.fields)
    proposal.links = _unique([*kept, *fresh])


def _parent_after(text: str, proposal: Any, names: Names) -> Any:
    """ "the 13th Combined Arms Tactical Group of the Malian Armed Forces": the organisation
    named right after "of the", "de la", "des", "du" is its parent."""
    after = text[proposal.end : proposal.end + 120]
    hit = re.match(r"\s*(?:\([^)]{1,20}\)\s*)?(?:of the|of|de la|de l\W|des|du|de)\s+", after)
    if hit is None:
        return None
    start = proposal.end + hit.end()
    for other in names.proposals:
        if other.kind == "organization" and other is not proposal:
            for name in names_of(other):
                if name and text.startswith(name, start):
                    return other
    return None


# "L'événement a été suivi par ...": a sentence naming who attended an event.
_ATTENDED = re.compile(
    r"\b(?:evenement|formation|seminaire|exercice|visite|atelier|event|training|seminar|"
    r"exercise|visit|workshop)\b.{0,80}\b(?:suivi|participe|pris part|assiste|en presence|"
    r"attended|participated|took part|joined)|\b(?:ont participe|ont assiste|attended|took part)"
)


# The words that name an event of each type ("L'événement de formation ...").
_TYPE_WORDS = {
    "training": r"formations?|stages?|cours|seminaires?|ateliers?|training|courses?|seminars?|"
    r"workshops?",
    "visit": r"visites?|visits?",
    "exercise": r"exercices?|exercises?|manoeuvres?",
}


def _last_named(folded: str, kind: str, before: int) -> int:
    pattern = _TYPE_WORDS.get(kind)
    if not pattern:
        return -1
    hits = [m.start() for m in re.finditer(rf"\b(?:{pattern})\b", folded[:before])]
    return hits[-1] if hits else -1


def _attendance(text: str, event: Any, events: list[Any]) -> list[tuple[int, int]]:
    """The sentences of the event's own passage, and the later ones that say who attended
    "the event": the event whose type the text named last before them."""
    folded = fold_aligned(text)
    out = []
    going_on = False  # a list of attendees goes on past a ";"
    for s, e in sentences(text):
        own = s < event.end and event.start < e
        said = s >= event.end and bool(_ATTENDED.search(folded[s:e]))
        if said:
            latest = max(events, key=lambda x: _last_named(folded, x.fields.get("type", ""), s))
            said = latest is event
        if going_on or own or said:
            out.append((s, e))
            going_on = text[s:e].rstrip().endswith(";")
        else:
            going_on = False
    return out


def derive(proposals: list[Any], text: str) -> None:
    """Fill each proposal's `links` (and an organisation's kind and country) from what the
    extraction gave: donors and beneficiaries, a person's organisation and function, the
    places, persons and agreements named in the activity's sentence."""
    names = Names(proposals)
    agreements = [p for p in proposals if p.kind == "agreement"]
    for p in proposals:
        fields = p.fields
        links: list[dict[str, Any]] = []
        if p.kind == "organization":
            name = str(fields.get("name") or p.label)
            fields.setdefault("kind", organization_kind(name))
            fields.setdefault("country", organization_country(name))
            parent = _parent_after(text, p, names)
            if parent is not None:
                links.append(link("parent_org", parent.label, parent.pk))
        elif p.kind == "person":
            links += participations(names, p.kind, fields)
        elif p.kind in ("activity", "event", "agreement"):
            links += participations(names, p.kind, fields)
            if p.kind != "agreement":
                links += place_links(names, fields)
                for target in names.within("place", p.start, p.end):
                    links.append(link("place", target.label, target.pk))
            if p.kind == "activity":
                # Its agreement: one signed in the same sentence, else the document's only one.
                same = [a for a in agreements if a.start < p.end and p.start < a.end]
                for target in same or (agreements if len(agreements) == 1 else []):
                    links.append(link("agreement", target.label, target.pk))
            if p.kind == "event":
                linked = {x["proposal"] for x in links}
                events = [x for x in proposals if x.kind == "event"]
                attendees = [
                    person
                    for s, e in _attendance(text, p, events)
                    for person in names.within("person", s, e)
                ]
                for person in dict.fromkeys(attendees):
                    if person.pk not in linked:
                        links.append(link("participant", person.label, person.pk, "attendee"))
        p.links = _unique(links)


def _unique(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for x in links:
        key = (x["kind"], x["role"], x["proposal"] or fold(x["name"]))
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out
