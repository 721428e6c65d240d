"""Name normalisation for screening: folding, ranks and titles, transliteration, keys.

Everything here is pure Python on strings, so that the matcher can be used (and
benchmarked) without a database. A name becomes a tuple of canonical tokens:

    >>> name_tokens("Colonel-Major Ismaël Wagué").tokens
    ('ismail', 'wague')

Folding removes accents, case and punctuation; leading ranks and titles (French and
English, full or abbreviated) are dropped; each token is mapped to a canonical form when
it is a known transliteration variant (Mohamed, Mohammed, Mahamadou -> muhammad), and
particles (Ould, Ag, Ben, Al...) are kept apart as weak tokens that neither make nor
break a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from liaison.core import ranks
from liaison.core.text import fold

# Names are compared in ASCII, on top of the plain fold (core.text.fold): the letters
# that carry no accent to drop are spelled (ø o, æ ae, ß ss...) and apostrophes join
# (N'Diaye: ndiaye) in a text that is not plain ASCII; anything but a-z and 0-9 separates
# words.
_SPELLED = {
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "\u0131": "i",
    "þ": "th",
    "\u0149": "n",
    "\u2019": "",
    "'": "",
    "`": "",
    "\u02bc": "",
    "\u02bb": "",
    "\u2018": "",
}
_SPELL = str.maketrans(
    _SPELLED | {k.upper(): v for k, v in _SPELLED.items() if len(k.upper()) == 1}
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=50_000)
def name_text(text: str) -> str:
    """Lower case, accents and punctuation removed, ASCII words separated by one space.
    An apostrophe joins in plain ASCII too: Kei'ta is Keita, N'Diaye is Ndiaye."""
    return _name_text(text)


def _name_text(text: str) -> str:
    if text.isascii():  # fold's own work on ASCII is a subset of this one
        if "'" in text or "`" in text:
            text = text.replace("'", "").replace("`", "")
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    return _NON_ALNUM.sub(" ", fold(text.translate(_SPELL))).strip()


# Ranks (core.ranks: French and English, full or abbreviated) and titles, as folded word
# sequences. Only a leading run of them is removed (titles stack up: "His Excellency
# General Dr ..."); a name that would be left empty is kept as it is.
_TITLES = """
mr | mrs | ms | miss | mister | dr | doctor | docteur | prof | professor | professeur | pr
| me | maitre | ingenieur | engineer
| mme | mlle | monsieur | madame | mademoiselle | sir | dame | lord | lady | hon
| honorable | honourable | the honourable | excellency | his excellency | her excellency
| son excellence | s e | h e | president | minister | ministre | haji | hajji | hadji
| el hadj | el hadji | el haj | al haj | al hajj | elhadj | elhadji | alhaji | alhadji
| hadj | imam | mullah | mulla | maulana | mawlana | maulvi | mawlawi | qari | mufti
| sheikh | shaykh | shaikh | sayyed | prince | princess | king | roi | reine | queen
| pasteur | pastor | father | pere | abbe | rev | reverend | mgr | monseigneur
| chief | chef | honorable depute | depute | senator | senateur | retd | ret | retired
"""

_ORG_FORMS = """
ltd | limited | llc | llp | lp | plc | inc | incorporated | co | company | corp
| corporation | gmbh | ag | sa | sas | sarl | sarlu | sprl | bv | nv | spa | srl | jsc
| ojsc | cjsc | pjsc | ooo | oao | zao | pao | fze | fzco | fzc | est | establishment
| group | groupe | holding | holdings | the | of | and | et | de | du | des | la | le | les
"""


def _phrases(block: str) -> tuple[tuple[str, ...], ...]:
    items = {tuple(p.split()) for p in block.replace("\n", " ").split("|") if p.strip()}
    return tuple(sorted(items, key=len, reverse=True))


# A rank is matched folded both ways: apostrophes apart as in plain text ("chef d
# escadron"), and joined as name_text reads a name that is not plain ASCII ("chef
# descadron").
_RANK_FORMS = {g for f in ranks.forms() for g in (fold(f), name_text(f.translate(_SPELL)))}
PERSON_PREFIXES = _phrases("|".join([*_RANK_FORMS, _TITLES]))
_PREFIXES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _p in PERSON_PREFIXES:  # longest first within each list
    _PREFIXES_BY_FIRST.setdefault(_p[0], []).append(_p)
ORG_STOPWORDS = frozenset(p[0] for p in _phrases(_ORG_FORMS))

# Transliteration variants of West African and Arabic-origin names, as canonical forms.
_VARIANTS = {
    "muhammad": "mohamed mohammed muhammad muhammed mohammad mohamad mohamet mouhamed "
    "mouhammad mouhammed muhamad mohamud mohammud mahamadou mahammadou mohamadou "
    "mouhamadou muhammadu mahamat mahammad mehmet mohd mhamed mamadou mamadu mahamadu "
    "mohamadu mohammadou mouhammadou mohammedou",
    "ahmad": "ahmed ahmad ahmet ahmadou ahmedou ahmadu hmed amadou amadu ahmadu",
    "musa": "moussa musa mousa mussa moussaa mouça",
    "ibrahim": "ibrahim ibrahima brahim ebrahim ibrahiim ibrahime",
    "umar": "oumar omar umar omer oumarou omaru",
    "uthman": "ousmane usman othman osman uthman ousman usmane outhman osmane",
    "abdallah": "abdoulaye abdullah abdallah abdulla abdellah abdoullah abdoulahi abdullahi "
    "abdoulah abdallahi",
    "abubakar": "aboubacar aboubakar abubakar abubakr aboubakr boubacar boubakar "
    "aboubacrine abubaker",
    "sulayman": "souleymane suleiman sulayman soulaimane sulaiman souleimane suleyman "
    "souleyman sleiman slimane",
    "ismail": "ismael ismail ismaila ismaiel esmail",
    "yusuf": "youssouf yusuf youssef yousef yusef youcef yousouf yousif youssoufa",
    "husayn": "hussein hussain husayn houssein hocine housseini hussien husain houssen",
    "hasan": "hassan hasan hacen hassane hasane",
    "mustafa": "mustafa moustapha mustapha moustafa mostafa moustaffa",
    "idris": "idrissa idris driss idriss idrisa",
    "yaqub": "yacouba yakub yaqub yacoub yakouba yaqoob yakoub",
    "isa": "issa isa",
    "iyad": "iyad eyad iyyad",
    "khalid": "khalid khaled khaleed",
    "abdalqadir": "abdelkader abdoulkader abdulqadir abdelkadir abdulkadir abdoulkadri",
    "abdarrahman": "abderrahmane abdourahmane abdulrahman abdourahamane abderrahman "
    "abdurrahman abdrahmane abdrahamane abdourahman abdelrahman abdulrahaman",
    "abdalaziz": "abdelaziz abdoulaziz abdulaziz abdelazize",
    "salih": "saleh salih salah salahe",
    "zakariya": "zakaria zakariya zakariyya zakariyau",
    "hamza": "hamza hamzah hamsa",
    "sidi": "sidi sidy",
    "cheick": "cheick cheikh cheik chaikh",
    "seydou": "seydou saydou seidou seydu",
    "aliou": "aliou alou aliyu",
    "ali": "ali aly aliy alii",
    "mahmud": "mahmoud mahmud mahmood mehmood mahmout",
    "dawud": "daouda daoud dawud dawood dauda daud daoude",
    "yahya": "yahya yahia yehia yahiya",
    "usama": "oussama usama osama ousama",
    "said": "said saeed saeid saied saiid",
    "nasir": "nasser nasir naser nacer nassir nasseur",
    "jamal": "jamal gamal djamal jamel",
    "abdalkarim": "abdelkrim abdoulkarim abdulkarim abdelkarim",
    "abdalhamid": "abdelhamid abdoulhamid abdulhamid",
    "diarra": "diarra dyarra diara djarra",
    "keita": "keita keyta kaita",
    "ture": "toure ture tourey",
    "kulibali": "coulibaly koulibaly kulibali kulibaly coulibali koulibali",
    "sise": "cisse sisse cise sise",
    "traore": "traore trawore traore",
    "camara": "camara kamara",
    "jalo": "diallo djallo jallo jalloh dialo",
    "sangare": "sangare sangaree",
    "konate": "konate konatey",
    "dembele": "dembele dembelle",
    "maiga": "maiga mayga",
    "haydara": "haidara haydara haidarah",
    "vladimir": "vladimir wladimir volodymyr",
    "aleksandr": "aleksandr alexander alexandre aleksander oleksandr",
}
VARIANTS: dict[str, str] = {v: canon for canon, vs in _VARIANTS.items() for v in vs.split()}

# Particles: kept as weak tokens (ould and wold are one, ben/bin/ibn are one, ...).
_PARTICLES = {
    "ould": "ould wold ould uld wuld ouled ould",
    "ag": "ag ag",
    "bin": "ben bin ibn bint ibnu",
    "al": "al el ul ad ar as ash an az at ed",
    "abu": "abu abou abo bou",
    "ait": "ait",
    "de": "de du des da dos di del della van von der den ter le la",
}
PARTICLES: dict[str, str] = {v: canon for canon, vs in _PARTICLES.items() for v in vs.split()}


@dataclass(frozen=True)
class Name:
    """A name as the matcher sees it."""

    original: str
    tokens: tuple[str, ...]  # strong tokens, canonical
    particles: tuple[str, ...] = ()
    stripped: tuple[str, ...] = ()  # words of ranks/titles removed
    raws: tuple[str, ...] = ()  # the folded words as written, aligned with tokens

    @property
    def key(self) -> str:
        """Tokens ordered by first sound (Coulibaly and Koulibaly alike), initials last."""
        return sound_key(self.tokens, [phonetic(t) for t in self.tokens])


def sound_key(tokens: tuple[str, ...], sounds: list[str]) -> str:
    """Name.key from the tokens and their sound keys (phonetic), computed once."""
    if len(tokens) == 1:
        return tokens[0]
    order = sorted(range(len(tokens)), key=lambda i: (len(tokens[i]) == 1, sounds[i], tokens[i]))
    return " ".join(tokens[i] for i in order)


def _strip_prefixes(words: list[str]) -> tuple[list[str], list[str]]:
    removed: list[str] = []
    changed = True
    while changed and words:
        changed = False
        for phrase in _PREFIXES_BY_FIRST.get(words[0], ()):
            n = len(phrase)
            if len(words) > n and tuple(words[:n]) == phrase:
                removed.extend(words[:n])
                words = words[n:]
                changed = True
                break
    return words, removed


def canonical(token: str) -> str:
    return VARIANTS.get(token, token)


@lru_cache(maxsize=50_000)
def name_tokens(text: str, kind: str = "person") -> Name:
    """Tokens of a name; kind is "person", "organization" or "any" (cached)."""
    return _name_tokens(text, kind)


# "Abd al Hamid", "Abdel Hamid", "Abdul Hamid", "Abdoul Hamid" are one word: "abdal" then
# the name (the particle after "abd" is part of it).
_ABD = frozenset({"abd", "abdal", "abdel", "abdul", "abdoul", "abdou", "abdu", "abdil"})
_ABD_PARTICLES = frozenset({"al", "el", "ul", "ol", "il", "ar", "as", "ash", "an", "az", "ad"})


def _join_abd(words: list[str]) -> list[str]:
    if not any(w.startswith("abd") for w in words):
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _ABD and i + 1 < len(words):
            nxt = i + 1
            if words[nxt] in _ABD_PARTICLES and nxt + 1 < len(words):
                nxt += 1
            if words[nxt] not in PARTICLES:
                out.append("abdal" + words[nxt])
                i = nxt + 1
                continue
        out.append(w)
        i += 1
    return out


# Honorifics that are also given names (Cheick Modibo, Imam Oumarou, Mufti Hazrat): kept
# as words, but one that the other name does not have costs nothing (matcher).
SOFT_WORDS = frozenset(
    {"cheick", "sheikh", "shaykh", "shaikh", "mufti", "imam", "haji", "hajji", "hadji",
     "alhaji", "elhadj", "elhadji", "mullah", "mulla", "mawlawi", "maulvi", "qari"}
)  # fmt: skip


def _name_tokens(text: str, kind: str = "person") -> Name:
    words = _name_text(text).split()
    removed: list[str] = []
    if kind in ("person", "any"):
        if words and words[0] in _PREFIXES_BY_FIRST:
            words, removed = _strip_prefixes(words)
        words = _join_abd(words)
    strong: list[str] = []
    weak: list[str] = []
    raws: list[str] = []
    for w in words:
        if kind == "organization" and w in ORG_STOPWORDS and len(words) > 1:
            continue
        if w in PARTICLES and len(words) > 1:
            weak.append(PARTICLES[w])
            continue
        strong.append(canonical(w))
        raws.append(w)
    if len(strong) < 2 and weak:
        # A name needs two words to be told apart: with one strong word, its particles
        # count as words (Souleymane Dé is not Abu Sulayman; Abu Sulayman is not Sulayman).
        strong, raws, weak = [*strong, *weak], [*raws, *weak], []
    return Name(text, tuple(strong), tuple(weak), tuple(removed), tuple(raws))


_PHONETIC_RULES = (
    ("ou", "u"),
    ("dj", "j"),
    ("ph", "f"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("dh", "d"),
    ("th", "t"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("z", "s"),
    ("w", "u"),
    ("y", "i"),
    ("x", "ks"),
    ("v", "f"),
    ("h", ""),
)


# The one-letter rules come after every two-letter one and feed none of them: one
# translate does them at once (names are ASCII here, so on bytes), x to ks before it.
_PAIR_RULES = tuple((a, b) for a, b in _PHONETIC_RULES if len(a) > 1)
_LETTERS = {a: b for a, b in _PHONETIC_RULES if len(a) == 1 and len(b) == 1}
_LETTER_TABLE = bytes.maketrans("".join(_LETTERS).encode(), "".join(_LETTERS.values()).encode())
_DELETED = b"".join(a.encode() for a, b in _PHONETIC_RULES if len(a) == 1 and not b)
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=300_000)
def phonetic(token: str) -> str:
    """A coarse sound key for blocking: first sound, then consonants without repeats."""
    s = token
    for a, b in _PAIR_RULES:
        if a in s:
            s = s.replace(a, b)
    if "x" in s:
        s = s.replace("x", "ks")
    if not s.isascii():
        for a, b in _PHONETIC_RULES[len(_PAIR_RULES) :]:
            s = s.replace(a, b)
    else:
        s = s.encode().translate(_LETTER_TABLE, _DELETED).decode()
    if token.startswith("h"):
        s = "h" + s  # a leading H is heard: Hamadoun is not Amadou
    if not s:
        return token[:1]
    rest = s[1:].encode().translate(None, b"aeiou").decode() if s.isascii() else s[1:]
    if not s.isascii():
        rest = "".join(c for c in rest if c not in "aeiou")
    return _REPEATS.sub(r"\1", s[0] + rest)
