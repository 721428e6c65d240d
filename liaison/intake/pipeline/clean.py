"""Clean step: drop the web boilerplate of flattened pages ("Share This Article",
"Lu il y a 5 minutes", "Haut de page", bylines, reader comments...) line by line, and
keep what is metadata ("Dernière modification : 16/05/2016", the byline)."""

# Typographic apostrophes and dashes are meant: texts are written with them.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import regex

# Whole lines that are page furniture, in French and English (matched case-insensitively
# against the stripped line).
_BOILERPLATE = [
    r"share (this|the) (article|post|story|page)",
    r"partage[rz]? (cet|l['’]) ?(article|page)",
    r"(share|partager)( (on|sur) \w+)?",
    r"laisse[rz]? un commentaire",
    r"leave a (comment|reply)",
    r"(ajouter|add) (un|a) commentaire|add a comment",
    r"lu il y a \d+ (minutes?|heures?|jours?|secondes?)",
    r"(temps de )?lecture ?:? ?\d+ ?min(utes?)?",
    r"\d+ ?min(ute)?s? (read|de lecture)",
    r"read(ing time)?:? \d+ ?min(ute)?s?( ago)?",
    r"source link|lien source|source ?: ?lien",
    r"ad image|advertisement|publicit[ée]|sponsored|annonce",
    r"haut de page|back to top|retour en haut( de page)?|top of page",
    r"(facebook|twitter|x|linkedin|whatsapp|telegram|e-?mail|imprimer|print|tweet|"
    r"copier le lien|copy link)([ ,|/]+(facebook|twitter|x|linkedin|whatsapp|telegram|"
    r"e-?mail|imprimer|print))*",
    r"(suivez|follow)[- ](nous|us)( (sur|on) .*)?",
    r"(lire|à lire|read|see) (aussi|also|more|la suite)( ?:.*)?",
    r"articles? (similaires|liés|connexes)|related (articles|posts|stories)|sur le même sujet",
    r"(voir|see) (plus|more)|load more|afficher plus",
    r"(abonnez-vous|subscribe)( .*)?",
    r"cookies?( policy| settings)?|politique (de confidentialité|des cookies)",
    r"tags? ?:.*|mots[- ]clés ?:.*|catégories? ?:.*|categor(y|ies) ?:.*",
    r"\d+ (vues|views|partages|shares|likes|j['’]aime)",
    r"(accueil|home)( [>/»›] .*)?",
    r"menu|rechercher|search|fermer|close|skip to content|aller au contenu",
    # Credits, sources, wire-service distribution and widget labels: names in them are
    # the publisher's, never the story's.
    r"(?:photos? ?)?(?:cr[ée]dits?|credits?|courtesy|source|sources)(?: photos?)? ?:.{0,80}",
    r"(?:photos?|images?|vid[ée]o) ?:.{0,80}|©.{0,80}|\(c\) ?(?:copyright|\d{4}).{0,80}",
    r"(?:distribu[ée]e?|diffus[ée]e?|distributed|issued) (?:par|by) .{0,120}",
    r"(?:view|voir(?: la)?) (?:gallery|galerie)|view (?:image|photo)s?|photo gallery|"
    r"galerie photos?|press releases?|communiqu[ée] de presse|news release",
    r"(?:personnel|staff|r[ée]daction|by staff)(?: d['’]| de | of | )?.{0,40}",
]
_BOILERPLATE_RE = regex.compile(
    r"^\W*(?:" + "|".join(_BOILERPLATE) + r")\W*$", regex.IGNORECASE | regex.V1
)
# After this line come reader comments: the rest of the page is dropped.
_COMMENTS_RE = regex.compile(
    r"^\W*(\d+ )?(commentaires?|comments?|réactions|reader comments|vos commentaires|"
    r"responses?|réponses?)( \(\d+\))?\W*$",
    regex.IGNORECASE,
)
_LAST_MODIFIED_RE = regex.compile(
    r"^\W*(?:derni[èe]re (?:modification|mise à jour)|mis à jour le|mise à jour ?:|"
    r"last (?:modified|updated)|updated(?: on)?)\s*:?\s*(?:le\s+)?(?P<date>.+?)\s*$",
    regex.IGNORECASE,
)
_PUBLISHED_RE = regex.compile(
    r"^\W*(?:publié le|published(?: on)?|date de publication ?:)\s*:?\s*(?P<date>.+?)\s*$",
    regex.IGNORECASE,
)
# "By Staff Sgt. Kulani J. Lakanaria, Special Operations Command Forward Public Affairs":
# a byline may hold abbreviations and the author's unit, but no end of sentence.
_BYLINE_RE = regex.compile(
    r"^(?:par|by)\s+(?P<who>\p{Lu}(?:[^!?]{0,110}[^.!?:;])?)$", regex.IGNORECASE
)
# Photo credits inside a caption: "(U.S. Army Africa photo by Spc. Zayid Ballesteros)".
_CREDIT_RE = regex.compile(
    r"\((?=[^()\n]{0,120}\b(?:photo|image|cr[ée]dit|credit|courtesy|©))[^()\n]{1,120}\)",
    regex.IGNORECASE,
)


@dataclass
class Cleaned:
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)


def _parse_date(text: str) -> str | None:
    m = regex.search(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        try:
            return datetime.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return None
    m = regex.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return datetime.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    from liaison.intake.pipeline.dates import find_dates

    found = find_dates(text)
    return found[0].iso_start if found else None


def _is_short(line: str) -> bool:
    return 0 < len(line.split()) <= 4 and not line.rstrip().endswith((".", ":", "?", "!"))


def clean_text(text: str) -> Cleaned:
    """Remove boilerplate lines; the kept lines keep their order and blank-line breaks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    meta: dict[str, Any] = {}
    removed: list[str] = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            kept.append("")
            continue
        if _COMMENTS_RE.match(line) and i > len(lines) // 2:
            removed.extend(x for x in lines[i:] if x.strip())
            break
        m = _LAST_MODIFIED_RE.match(line)
        if m and len(line) < 80:
            meta["last_modified"] = _parse_date(m["date"]) or m["date"]
            meta["last_modified_text"] = line
            removed.append(line)
            continue
        m = _PUBLISHED_RE.match(line)
        if m and len(line) < 80:
            meta["published"] = _parse_date(m["date"]) or m["date"]
            removed.append(line)
            continue
        if _BOILERPLATE_RE.match(line):
            # A short line just before "Lu il y a 5 minutes" is the page's byline.
            if regex.match(r"(?i)^\W*(lu il y a|read|\d+ ?min)", line):
                previous = [k for k in kept if k.strip()]
                if previous and _is_short(previous[-1]) and len(previous) > 1:
                    meta.setdefault("byline", previous[-1].strip())
                    idx = len(kept) - 1 - kept[::-1].index(previous[-1])
                    removed.append(kept.pop(idx))
            removed.append(line)
            continue
        m = _BYLINE_RE.match(line)
        if (
            m
            and len(line.split()) <= 16
            and (len(line.split()) <= 6 or regex.search(r",|\.\s+\p{Lu}", m["who"]))
        ):
            meta.setdefault("byline", m["who"].strip())
            removed.append(line)
            continue
        credits = _CREDIT_RE.findall(raw)
        if credits:
            removed.extend(credits)
            raw = _CREDIT_RE.sub("", raw)
        kept.append(raw.rstrip())
    # Collapse runs of blank lines; trim.
    out: list[str] = []
    for line in kept:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    # A short last line after a finished paragraph signs the page ("Studio tamani",
    # "Agence X"): the publisher, not a party to the story.
    body = [x for x in out if x.strip()]
    if len(body) > 2 and _is_short(body[-1]) and body[-2].rstrip().endswith((".", "!", "?", "»")):
        meta.setdefault("signature", body[-1].strip())
        removed.append(out.pop())
        while out and not out[-1].strip():
            out.pop()
    cleaned = "\n".join(out).strip()
    first = next((x.strip() for x in out if x.strip()), "")
    if first and len(first) < 200 and not first.endswith("."):
        meta.setdefault("title", first)
    return Cleaned(cleaned, meta, removed)
