"""Entity rules in French and English: ranks and titles before a name (kept apart from
it), positions ("Directeur de la justice militaire, le colonel Boubacar Maïga"),
acronyms tied to their long form ("Defence Institute of International Legal Studies
(DIILS)") and institution names ("ministère de la Défense", "forces armées maliennes").
"""

# Typographic apostrophes and dashes are meant: texts are written with them.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from liaison.core import ranks
from liaison.core.text import fold_aligned, windows

_RX_NONSPACE = regex.compile(r"\S+")
_RX_PARTS = regex.compile(r"[\-’']")
_RX_ELISION = regex.compile(r"^(?i:(d|l)['’])(.+)$")
_RX_LETTERS = regex.compile(r"[\p{L}.]+")
_RX_ROMAN = regex.compile(r"[IVXLC]+")


def _flex(words: list[str]) -> str:
    """Alternation of multi-word terms; a space or hyphen between their parts."""
    parts = []
    for w in sorted(words, key=len, reverse=True):
        pieces = [regex.escape(x) for x in regex.split(r"[\s\-]+", w)]
        p = r"[\s\-]+".join(pieces)
        p = p.replace("\\'", "'").replace("'", "['’]").replace("\\’", "['’]")
        parts.append(p)
    return "|".join(parts)


RANKS_FR = ranks.forms(ranks.FRENCH)
RANKS_EN = ranks.forms(ranks.ENGLISH)
# Words that open a title or a position ("Directeur de la justice militaire").
TITLE_HEADS = [
    "directeur général", "directeur", "directrice", "sous-directeur", "chef d'état-major",
    "chef de cabinet", "chef", "commandant", "ministre", "secrétaire général", "secrétaire",
    "ambassadeur", "ambassadrice", "attaché de défense", "attaché", "attachée", "président",
    "présidente", "conseiller", "conseillère", "porte-parole", "chargé d'affaires",
    "chargée d'affaires", "coordonnateur", "coordinateur", "coordinatrice", "responsable",
    "gouverneur", "inspecteur général", "adjoint", "adjointe",
    "director general", "director", "deputy director", "chief of staff", "chief", "commander",
    "minister", "secretary general", "secretary", "ambassador", "defence attaché",
    "defense attaché", "defence attache", "defense attache", "attache", "president",
    "adviser", "advisor", "spokesperson", "spokesman", "head", "deputy", "governor",
    "coordinator", "representative", "envoy", "commandant", "charge d'affaires",
]  # fmt: skip
# Titles written right before a name ("Chargé d'Affaires Wallace Bain").
NAME_TITLES = [
    "chargé d'affaires", "chargée d'affaires", "charge d'affaires", "ambassadeur",
    "ambassadrice", "ambassador", "ministre", "minister", "président", "présidente",
    "president", "secrétaire d'état", "secretary of state", "secretary of defense",
    "defense secretary", "secretary", "secrétaire", "senator", "sénateur", "gouverneur",
    "governor", "attaché de défense", "defence attaché", "defense attaché", "premier ministre",
    "prime minister",
]  # fmt: skip
HONORIFICS = ["M.", "Mme", "Mlle", "Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Dr.", "Dr"]

_RANK = rf"(?:{_flex(RANKS_EN)}|(?i:{_flex(RANKS_FR)}))"
_HEAD = rf"(?i:{_flex(TITLE_HEADS)})"
_NTITLE = rf"(?i:{_flex(NAME_TITLES)})"
_PARTICLE = r"(?:de|da|dos|del|van|von|ben|bin|ould|ag|el|al|di|du|le|la|Al|El|Ben|Ag|Ould)"
_NTOK = (
    r"(?:\p{Lu}[\p{Ll}’']*\p{Ll}[\p{Ll}’']*(?:[\-’']\p{L}[\p{Ll}’']*)*"
    r"|\p{Lu}{2,}(?![\p{Ll}])|\p{Lu}\.)"
)
NAME = rf"(?:{_NTOK}(?:\s+(?:{_PARTICLE}\s+)?{_NTOK}){{0,3}})"
_ARTICLE = r"(?:(?i:le|la|les|l['’]|the)\s+)?"
_HONOR = r"(?:(?:M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)?"

# Capitalised words that begin no name (sentence openers, titles, places written alone).
NOT_NAMES = {
    fold_aligned(w)
    for w in [
        "Le",
        "La",
        "Les",
        "L",
        "Un",
        "Une",
        "Des",
        "Du",
        "De",
        "Ce",
        "Cette",
        "Ces",
        "Il",
        "Elle",
        "Ils",
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "He",
        "She",
        "They",
        "It",
        "In",
        "On",
        "At",
        "For",
        "With",
        "From",
        "By",
        "And",
        "Et",
        "Mais",
        "But",
        "Selon",
        "According",
        "Après",
        "Avant",
        "After",
        "Before",
        "Lors",
        "During",
        "Pendant",
        "Depuis",
        "Since",
        "Monsieur",
        "Madame",
        "Directeur",
        "Director",
        "Ministre",
        "Minister",
        "Secrétaire",
        "Secretary",
        "Général",
        "General",
        "Colonel",
        "Président",
        "President",
        "Chef",
        "Chief",
        "Commandant",
        "Commander",
        "Ambassadeur",
        "Ambassador",
        "Mission",
        "Ministère",
        "Ministry",
        "Direction",
        "Directorate",
        "Département",
        "Department",
        "Forces",
        "Force",
        "Armée",
        "Army",
        "École",
        "School",
        "Institut",
        "Institute",
        "Centre",
        "Center",
        "Commandement",
        "Command",
        "Janvier",
        "Février",
        "Mars",
        "Avril",
        "Mai",
        "Juin",
        "Juillet",
        "Août",
        "Septembre",
        "Octobre",
        "Novembre",
        "Décembre",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Nations",
        "Unies",
        "United",
        "States",
        "États",
        "Unis",
        "Etats",
        "Sahel",
        "Afrique",
        "Africa",
        "Europe",
        "Union",
        "Mali",
        "France",
        "Niger",
        "Tchad",
        "Chad",
        "Sénégal",
        "Senegal",
        "Burkina",
        "Faso",
        "Mauritanie",
        "Mauritania",
        "Bamako",
        "Paris",
        "Washington",
        "Dakar",
        "Niamey",
        "Ouagadougou",
        "Abidjan",
        "Gao",
        "Tombouctou",
        "Kidal",
        "Mopti",
        "Sévaré",
        "Koulikoro",
        "Kati",
        "Ségou",
        "Sikasso",
        "Kayes",
    ]
}


@dataclass
class RuleHit:
    label: str  # PER, ORG
    start: int
    end: int
    text: str
    rank: str = ""
    title: str = ""
    position: str = ""
    position_span: tuple[int, int] = (0, 0)
    acronym: str = ""
    long_start: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def _trim_name(text: str, start: int) -> tuple[str, int, int] | None:
    """Drop leading tokens that are not names; None if nothing is left."""
    tokens = list(_RX_NONSPACE.finditer(text))
    while tokens and fold_aligned(tokens[0].group().strip(".,;:")) in NOT_NAMES:
        tokens.pop(0)
    while tokens and fold_aligned(tokens[-1].group().strip(".,;:")) in NOT_NAMES:
        tokens.pop()
    if not tokens:
        return None
    s, e = tokens[0].start(), tokens[-1].end()
    return text[s:e], start + s, start + e


_RANK_NAME = regex.compile(rf"(?<![\p{{L}}\-])(?P<rank>{_RANK})\s+{_HONOR}(?P<name>{NAME})")
_TITLE_NAME = regex.compile(
    rf"(?<![\p{{L}}\-])(?P<title>{_NTITLE}(?:\s+(?:(?:d['’]|de\s+|of\s+)\p{{Lu}}\p{{L}}+|"
    rf"(?i:américain|américaine|français|française|malien|malienne|adjoint|adjointe|"
    rf"délégué|déléguée|à la défense|de la défense|of defense|of defence|for defence)))*)"
    rf"\s*,?\s+(?:(?P<rank>{_RANK})\s+)?{_HONOR}(?P<name>{NAME})"
)
_POSITION_NAME = regex.compile(
    rf"(?<![\p{{L}}\-])(?P<position>{_HEAD}\b[^,;:.()\n]{{0,110}}?),\s+{_ARTICLE}"
    rf"(?:(?P<rank>{_RANK})\s+)?{_HONOR}(?P<name>{NAME})"
)
_COMMA_HEAD = regex.compile(rf",\s+{_ARTICLE}{_HEAD}\b")
_NAME_POSITION = regex.compile(
    rf"(?:(?P<rank>{_RANK})\s+)?(?P<name>{NAME}),\s+{_ARTICLE}(?P<position>{_HEAD}\b"
    rf"[^,;:.()\n]{{0,110}}?)(?=[,;:.()\n]|\s+(?:a|has|is|was|said|a\s+déclaré|est|qui|who)\b)"
)


_WORD_RE = regex.compile(r"\w+")


def _trigger_words() -> set[str]:
    words_: set[str] = set()
    for term in RANKS_FR + RANKS_EN + TITLE_HEADS + NAME_TITLES + HONORIFICS:
        first = regex.split(r"[\s\-'’.]+", term)[0]
        words_.update({first.lower(), fold_aligned(first)})
    return words_


_TRIGGERS = _trigger_words()


def person_rules(text: str) -> list[RuleHit]:
    """Persons introduced by a rank, a title or a position, with those kept apart. The
    patterns run only around the words that can open a rank or title."""
    hits: list[RuleHit] = []
    lowered = text.lower()
    positions = [m.start() for m in _WORD_RE.finditer(lowered) if m.group() in _TRIGGERS]
    spans = windows(text, positions, 90, 230)
    seen: set[tuple[int, int, str]] = set()
    # "NAME, the Director of ...": only before a comma that a title follows.
    commas = [m.start() for m in _COMMA_HEAD.finditer(text)]
    comma_spans = windows(text, commas, 80, 150)
    for pattern in (_POSITION_NAME, _NAME_POSITION, _TITLE_NAME, _RANK_NAME):
        where = comma_spans if pattern is _NAME_POSITION else spans
        matches = [m for a, b in where for m in pattern.finditer(text, a, b)]
        for m in matches:
            if (m.start(), m.end(), pattern.pattern[:20]) in seen:
                continue
            seen.add((m.start(), m.end(), pattern.pattern[:20]))
            trimmed = _trim_name(m["name"], m.start("name"))
            if trimmed is None:
                continue
            name, s, e = trimmed
            groups = m.groupdict()
            rank = (groups.get("rank") or "").strip()
            title = (groups.get("title") or "").strip()
            position = (groups.get("position") or "").strip()
            if not rank and not title and len(name.split()) < 2:
                continue  # a position and one capitalised word: too weak
            if len(name.split()) == 1 and (in_lexicon(name) or fold_aligned(name) in _HEADS):
                continue  # "General Staff" is no General named Staff
            hit = RuleHit("PER", s, e, name, rank=rank, title=title, position=position)
            if position:
                ps = m.start("position")
                hit.position_span = (ps, ps + len(position))
            hits.append(hit)
    return hits


# --- Organisations ----------------------------------------------------------------------

_STOP = {
    "de", "des", "du", "d", "la", "le", "les", "l", "et", "en", "à", "a", "au", "aux", "of",
    "the", "and", "for", "in", "on", "pour", "sur", "dans", "&",
}  # fmt: skip
_ACRONYM = regex.compile(
    r"\((?P<acr>\p{Lu}[\p{Lu}\p{Ll}\d&\-]{1,12}(?:\s\p{Lu}\p{Ll}+)?)\)"
    r"|\((?P<long>\p{Lu}[^()\n]{8,120})\)"
)
_IS_ACR = regex.compile(r"^(?=(?:.*\p{Lu}){2})[\p{Lu}\d][\p{Lu}\p{Ll}\d&\-]*$")


def _initials(token: str) -> str:
    parts = [p for p in _RX_PARTS.split(token) if p]
    if len(parts) > 1 and fold_aligned(parts[0]) in ("al", "wal", "el", "d", "l"):
        parts = parts[1:]
    return fold_aligned(parts[0][0]) if parts else ""


def acronym_rules(text: str) -> list[RuleHit]:
    """ "Long Form (ACR)" and "ACR (Long Form)": the long form and the acronym, tied."""
    hits: list[RuleHit] = []
    for m in _ACRONYM.finditer(text):
        if m["acr"]:
            acr = m["acr"]
            core = acr.split()[0]  # "EUTM Mali": the acronym is EUTM, of the mission in Mali
            if not _IS_ACR.match(core) or core.isdigit():
                continue
            before = text[max(0, m.start() - 200) : m.start()]
            offset = m.start() - len(before)
            tokens = list(regex.finditer(r"[\p{L}\d][\p{L}\d’'\-]*", before))
            tokens = tokens[-14:]
            letters = fold_aligned(regex.sub(r"[^\p{L}\d]", "", core))
            best = None
            for i in range(len(tokens) - 1, -1, -1):
                first = _initials(tokens[i].group())
                if fold_aligned(tokens[i].group()) in _STOP or first != letters[0]:
                    continue
                inits = "".join(
                    _initials(t.group()) for t in tokens[i:] if fold_aligned(t.group()) not in _STOP
                )
                it = iter(inits)
                if all(ch in it for ch in letters) and len(inits) <= len(letters) + 2:
                    best = i
                    break
            if best is None:
                # "Malian Armed Forces (FAMa)": the initials of a French acronym, reordered
                for i in range(len(tokens) - 1, max(-1, len(tokens) - len(letters) - 3), -1):
                    firsts = [
                        _initials(t.group())
                        for t in tokens[i:]
                        if fold_aligned(t.group()) not in _STOP
                    ]
                    if (
                        tokens[i].group()[:1].isupper()
                        and set(firsts) == set(letters)
                        and abs(len(firsts) - len(letters)) <= 1
                        and all(
                            t.group()[:1].isupper() or fold_aligned(t.group()) in _STOP
                            for t in tokens[i:]
                        )
                    ):
                        best = i
                        break
            if best is None:
                # "Africa Command (AFRICOM)": a capitalised name right before the brackets
                caps = 0
                for i in range(len(tokens) - 1, -1, -1):
                    word = tokens[i].group()
                    if word[:1].isupper():
                        caps += 1
                        best = i
                    elif fold_aligned(word) not in ("de", "du", "des", "of", "la", "the", "l", "d"):
                        break
                if best is None or caps < 2 or _initials(tokens[best].group()) != letters[0]:
                    continue
                while fold_aligned(tokens[best].group()) in _STOP:
                    best += 1
            s = offset + tokens[best].start()
            e = offset + tokens[-1].end()
            elided = regex.match(r"(?i)[ld]['’]", text[s : s + 2])
            if elided:
                s += 2
            long_text = text[s:e]
            if text[e : m.start()].strip():
                continue  # something other than a space between the long form and "("
            hits.append(RuleHit("ORG", s, e, long_text, acronym=acr))
            hits.append(RuleHit("ORG", m.start("acr"), m.end("acr"), acr, acronym=acr))
        else:
            # "l'EMP (École de maintien de la paix)"
            long_text = m["long"].strip()
            before = regex.search(r"(\p{Lu}[\p{Lu}\p{Ll}\d&\-]{1,12})\s*$", text[: m.start()])
            if not before or not _IS_ACR.match(before[1]):
                continue
            acr = before[1]
            letters = fold_aligned(acr)
            inits = "".join(
                _initials(t)
                for t in regex.findall(r"[\p{L}\d][\p{L}\d’'\-]*", long_text)
                if fold_aligned(t) not in _STOP
            )
            it = iter(inits)
            if not letters or inits[:1] != letters[:1] or not all(ch in it for ch in letters):
                continue
            s = m.start("long")
            hits.append(RuleHit("ORG", s, s + len(long_text), long_text, acronym=acr))
            hits.append(RuleHit("ORG", before.start(1), before.end(1), acr, acronym=acr))
    return hits


ORG_HEADS = [
    "ministère", "ministry", "direction", "directorate", "département", "department",
    "école", "écoles", "ecole", "school", "institut", "institute", "mission", "commandement",
    "command", "agence", "agency", "ambassade", "embassy", "forces armées", "force armée",
    "armed forces", "forces de défense et de sécurité", "defence forces", "defense forces",
    "armée de terre", "armée de l'air", "armée", "army", "navy", "air force", "marine nationale",
    "garde nationale", "national guard", "gendarmerie nationale", "gendarmerie",
    "police nationale", "brigade", "bataillon", "battalion", "régiment", "regiment",
    "centre", "center", "centre", "organisation", "organization", "union", "communauté",
    "community", "conseil", "council", "université", "university", "académie", "academy",
    "collège", "college", "état-major", "état-major général", "office", "bureau", "force",
    "délégation", "delegation", "service", "services", "groupement", "escadron", "compagnie",
    "programme", "program", "corps", "cour", "court", "tribunal", "état islamique",
    "islamic state", "groupe", "group",
]  # fmt: skip
# Lower-case words that may continue an institution's name after "de", "of"...
ORG_LEXICON = {
    fold_aligned(w)
    for w in [
        "défense",
        "sécurité",
        "justice",
        "militaire",
        "militaires",
        "coopération",
        "affaires",
        "étrangères",
        "anciens",
        "combattants",
        "armées",
        "armée",
        "paix",
        "maintien",
        "développement",
        "international",
        "internationale",
        "internationales",
        "nationale",
        "national",
        "nationaux",
        "régionale",
        "régional",
        "vocation",
        "formation",
        "santé",
        "intérieur",
        "terre",
        "air",
        "mer",
        "gendarmerie",
        "police",
        "renseignement",
        "protection",
        "civile",
        "sécurité",
        "publique",
        "économie",
        "finances",
        "budget",
        "état-major",
        "opérations",
        "forces",
        "génie",
        "logistique",
        "transmissions",
        "infanterie",
        "artillerie",
        "blindée",
        "blindé",
        "parachutistes",
        "commando",
        "commandos",
        "reconnaissance",
        "attente",
        "réaction",
        "rapide",
        "spéciales",
        "spéciale",
        "operations",
        "defence",
        "defense",
        "security",
        "affairs",
        "foreign",
        "justice",
        "legal",
        "studies",
        "training",
        "education",
        "peacekeeping",
        "cooperation",
        "military",
        "veterans",
        "staff",
        "armed",
        "special",
        "support",
        "logistics",
        "engineering",
        "intelligence",
        "health",
        "interior",
        "rapid",
        "reaction",
        "standby",
        "maritime",
        "aérienne",
        "aériennes",
        "terrestre",
        "terrestres",
        "navale",
        "navales",
        "frontières",
        "border",
        "stabilisation",
        "stabilization",
        "intégrée",
        "integrated",
        "multidimensionnelle",
        "multidimensional",
        "droit",
        "humanitaire",
        "human",
        "rights",
        "droits",
        "homme",
        "l'homme",
        "recherche",
        "études",
        "stratégiques",
        "strategic",
        "studies",
        "instruction",
        "entraînement",
        "perfectionnement",
        "application",
        "déminage",
        "demining",
        "dépollution",
        "génie",
        "civil",
        "management",
        "gestion",
        "crises",
        "crisis",
    ]
}
ORG_LEXICON |= {"burkinabe", "tchadienne", "tchadien"}


def in_lexicon(word: str) -> bool:
    """A folded word of institution names, plural or not ("nationales", "armées")."""
    w = fold_aligned(word)
    return (
        w in ORG_LEXICON
        or w.rstrip("s") in ORG_LEXICON
        or (w.endswith("aux") and w[:-3] + "al" in ORG_LEXICON)
    )


_DEMONYM = regex.compile(
    r"^\p{Ll}+(?:ien|ienne|iens|iennes|ais|aise|aises|ain|aine|ains|aines|ois|oise|oises|"
    r"éen|éenne|éens|éennes|ique|iques|ese|an)$"
)
_HEAD_RE = regex.compile(rf"(?<![\p{{L}}\-])(?P<head>(?i:{_flex(ORG_HEADS)}))(?![\p{{L}}\-])")
_TOKEN = regex.compile(r"\s*(?P<tok>[\p{L}\d][\p{L}\d’'\-]*|&)")
_FUNCTION = {"de", "des", "du", "d", "la", "le", "les", "l", "et", "of", "the", "and", "for",
             "pour", "à", "a", "en", "in", "on", "dans", "au"}  # fmt: skip


NOT_NAMES_START = {
    fold_aligned(w)
    for w in [
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "Its",
        "Their",
        "His",
        "Her",
        "Our",
        "In",
        "On",
        "At",
        "For",
        "With",
        "From",
        "By",
        "And",
        "Of",
        "Le",
        "La",
        "Les",
        "Un",
        "Une",
        "Des",
        "Du",
        "De",
        "Ce",
        "Cette",
        "Ces",
        "Et",
        "Par",
        "Pour",
        "Avec",
        "Sur",
    ]
}
_RANK_WORDS = {fold_aligned(w) for r in RANKS_EN + RANKS_FR for w in r.replace("-", " ").split()}
_HEADS = {fold_aligned(h) for h in ORG_HEADS}
_TITLE_WORDS = (
    {fold_aligned(w.split()[0]) for w in TITLE_HEADS + NAME_TITLES}
    | {fold_aligned(w.split()[0]) for w in RANKS_FR + RANKS_EN}
) - ORG_LEXICON
_FAMOUS = regex.compile(
    r"(?<![\p{L}])(?:le |la |the |l['’])?(?P<org>Pentagone|Pentagon|Maison[ -]Blanche|White House|"
    r"Élysée|Quai d['’]Orsay|Kremlin|Hôtel de Brienne)(?![\p{L}])"
)


_STANDALONE_HEADS = {
    fold_aligned(h)
    for h in (
        "garde nationale", "gendarmerie nationale", "police nationale", "marine nationale",
        "national guard", "armée de terre", "armée de l'air", "air force", "état-major général",
    )
}  # fmt: skip
_BACK_TOKEN = regex.compile(r"(?:^|(?<=\s))(\p{Lu}[\p{L}’'\-.]*|\d+(?:st|nd|rd|th))\s+$")


def _extend_back(text: str, start: int) -> int:
    """English names put the head last: "Ghana Armed Forces", "13th Combined Arms
    Tactical Group", "United States Embassy". Extend over capitalised words before it."""
    pos = start
    for _ in range(5):
        m = _BACK_TOKEN.search(text, max(0, pos - 40), pos)
        if not m:
            break
        word = m[1]
        f = fold_aligned(word)
        if f in NOT_NAMES_START or f in _TITLE_WORDS or f.rstrip(".") in _RANK_WORDS:
            break
        line_start = text.rfind("\n", 0, m.start(1)) + 1
        if word.isupper() and len(word) > 3 and not text[line_start : m.start(1)].strip():
            break  # a dateline in capitals ("KOULIKORO, 3 March 2022 – The ...")
        pos = m.start(1)
    return pos


_NEXT_BODY = regex.compile(
    rf"(?:\s+(?P<article>(?i:the|la|le|les|l['’]|d['’])))?\s*(?:\p{{Lu}}[\p{{L}}’'\-]+\s+){{0,2}}"
    rf"(?:l['’])?(?i:{_flex(ORG_HEADS)})(?![\p{{L}}\-])"
)


def org_rules(text: str) -> list[RuleHit]:
    """Institution names opened by a head word ("Direction de la justice militaire du
    Mali", "forces armées maliennes", "Defense Institute of International Legal Studies")."""
    hits: list[RuleHit] = []
    coordinated: list[RuleHit] = []
    for m in _HEAD_RE.finditer(text):
        head = m["head"]
        pos = m.end()
        last_content = pos
        extended = False
        pending_function = 0
        prev_cap = head[:1].isupper()
        count = 0
        while count < 12:
            t = _TOKEN.match(text, pos)
            if not t:
                break
            tok = t["tok"]
            # "d’Etat" / "l’Afrique": split the elision
            el = _RX_ELISION.match(tok)
            word = fold_aligned(el[2] if el else tok)
            function_part = bool(el)
            if fold_aligned(tok) in _FUNCTION and not el:
                nxt = _TOKEN.match(text, t.end())
                if fold_aligned(tok) in ("a", "à") and nxt and nxt["tok"][:1].isupper():
                    break  # "centre d'entraînement à Moussoro": a place, not the name
                needs_article = fold_aligned(tok) not in ("du", "des", "au", "aux")
                body = _NEXT_BODY.match(text, t.end())
                if body and (body["article"] or not needs_article):
                    break  # "Group of the Malian Armed Forces": another body begins
                if fold_aligned(tok) in ("et", "and") and nxt and _DEMONYM.match(nxt["tok"]):
                    # "forces armées malienne et française": two forces
                    second = f"{text[m.start() : pos].split()[0]} {head.split()[-1]}"
                    if len(head.split()) > 1:
                        second = f"{head} {nxt['tok']}"
                    coordinated.append(RuleHit("ORG", nxt.start("tok"), nxt.end("tok"), second))
                    break
                pending_function += 1
                if pending_function > 2:
                    break
                pos = t.end()
                count += 1
                continue
            content = el[2] if el else tok
            is_cap = content[:1].isupper()
            ok = is_cap or in_lexicon(word) or bool(_DEMONYM.match(content))
            if not ok:
                break
            if is_cap and not pending_function and not function_part and not prev_cap:
                break  # "ambassade américaine Chargé d’Affaires": a new name begins
            if fold_aligned(content) in _TITLE_WORDS:
                break
            pending_function = 0
            prev_cap = is_cap
            pos = t.end()
            last_content = pos
            extended = True
            count += 1
        if not extended and fold_aligned(head) not in _STANDALONE_HEADS and not head[:1].isupper():
            continue  # "garde nationale" is a name by itself; "mission", "forces armées" not
        s = _extend_back(text, m.start()) if head[:1].isupper() else m.start()
        name = text[s:last_content]
        if not extended and s == m.start() and fold_aligned(head) not in _STANDALONE_HEADS:
            continue
        if not head[:1].isupper() and len(name.split()) < 2:
            continue
        following = _TOKEN.match(text, last_content)
        if (
            head[:1].isupper()
            and following
            and following["tok"][:1].isupper()
            and fold_aligned(following["tok"]) in _TITLE_WORDS
        ):
            continue  # "Mission Force Commander": a title
        hits.append(RuleHit("ORG", s, last_content, name))
    hits.extend(coordinated)
    for m in _FAMOUS.finditer(text):
        hits.append(RuleHit("ORG", m.start("org"), m.end("org"), m["org"]))
    return hits


_DATELINE = regex.compile(
    r"(?m)^(?P<place>\p{Lu}[\p{L}’'\-]+(?:[ \-]\p{Lu}[\p{L}’'\-]+)?)"
    r"(?:,\s*(?P<country>\p{Lu}[\p{L}’' \-]{2,30}?))?(?=\s*(?:,\s*(?:le\s+)?\d|[–—]|-\s))"
)


def dateline_places(text: str) -> list[RuleHit]:
    """The place a news item opens with: "NOUAKCHOTT -", "Niamey, le 14 mars 2024 -"."""
    hits: list[RuleHit] = []
    for m in _DATELINE.finditer(text):
        hits.append(RuleHit("LOC", m.start("place"), m.end("place"), m["place"]))
        if m["country"] and not any(c.isdigit() for c in m["country"]):
            hits.append(RuleHit("LOC", m.start("country"), m.end("country"), m["country"]))
    return hits


def is_title_or_rank(text: str) -> bool:
    """ "Major General", "Mission Force Commander": a rank or a title, not a body."""
    words_ = [fold_aligned(w) for w in _RX_LETTERS.findall(text)]
    return bool(words_) and (
        all(w.rstrip(".") in _RANK_WORDS for w in words_)
        or words_[0] in _TITLE_WORDS
        or words_[-1] in _TITLE_WORDS
    )


def standalone_acronyms(text: str) -> list[RuleHit]:
    """Upper-case tokens that read as acronyms of organisations (CEDEAO, AFRICOM)."""
    hits: list[RuleHit] = []
    for m in regex.finditer(
        r"(?<![\p{L}\d\-])(\p{Lu}[\p{Lu}\d&]{1,9}(?:-\p{Lu}{1,6})?\p{Ll}?)(?![\p{L}\d])", text
    ):
        tok = m[1]
        short_ok = tok in ("UN", "EU", "UE", "UA", "AU")
        weak = tok in _NOT_ACRONYMS or _RX_ROMAN.fullmatch(tok) or len(tok) < 3
        if weak and not short_ok:
            continue
        # A line in capitals is a heading, not a run of acronyms.
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        letters = [c for c in line if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.6:
            continue
        if m.start(1) == line_start and _DATELINE.match(text, m.start(1)):
            continue  # "COTONOU, Benin –": a dateline
        hits.append(RuleHit("ORG", m.start(1), m.end(1), tok, acronym=tok))
    return hits


_NOT_ACRONYMS = {
    "US", "USA", "UK", "DC", "TV", "PDF", "OK", "FCFA", "CFA", "EUR", "USD", "XOF", "NB",
    "PS", "AFP", "RFI", "FAQ", "COVID", "SIDA", "AIDS", "GMT", "UTC", "CEO", "PIB", "GDP",
    "NDLR", "II", "III", "IV", "HTML", "URL", "QG", "HQ", "ISR", "VIP", "LOAC", "DIH", "IHL",
}  # fmt: skip
