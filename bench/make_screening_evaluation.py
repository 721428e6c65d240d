"""Write bench/data/screening_evaluation/queries.csv: the evaluation set of the matcher.

Kept apart from the tuning set (bench/data/screening_variants.csv, made by
make_screening_variants.py from 21 Mali-related entries and fictional persons): nothing
in liaison/ reads this file, and the matcher is not tuned on it.

- Label 1: 500 variants of persons of the whole OFAC SDN list (the 21 entries of the tuning
  set left out), one query each, written the way names reach a vetting office: another
  transliteration (a table written here, not the matcher's), a middle name dropped, the
  words in another order, a rank or title in front, accents lost or added, a typo, or
  several at once. A third carry the listed birth date, half the listed nationality.
- Label 0: real names of public figures of the Sahel armed forces and governments (Mali,
  Burkina Faso, Niger, Chad, Mauritania) that are not on the list, with their country
  (bench/data/screening_evaluation/lookalikes.csv, each with the public page it was read
  on; see SOURCES.md there). A name written exactly as a listed name (the same words once
  folded) is left out: such a homonym must be raised, whoever he is.

Deterministic (seeded). The SDN file is not in the repository:

    .venv/bin/python bench/make_screening_evaluation.py [--sdn PATH]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "bench/data/screening_evaluation"
LOOKALIKES = OUT_DIR / "lookalikes.csv"
QUERIES = OUT_DIR / "queries.csv"
TUNING_ENTRIES = ROOT / "liaison/vetting/tests/data/ofac_sdn_mali_subset_20240503.csv"
SDN_CANDIDATES = [
    ROOT.parent / "shared/data/screening/ofac_sdn_full_20240503.csv",
    Path("/work/shared/data/screening/ofac_sdn_full_20240503.csv"),
]
PERSONS = 500
SEED = 2024

# Spellings met in records, written for this set (the matcher's own table is not read).
TRANSLIT = {
    "muhammad": ["Mohamed", "Mohammed", "Mouhamadou", "Mahamadou", "Mamadou"],
    "mohammad": ["Muhammad", "Mohamed", "Mohamad"],
    "mohammed": ["Mohamed", "Muhammad", "Mahamadou"],
    "mohamed": ["Muhammad", "Mohammed", "Mamadou", "Mahamadou"],
    "ahmad": ["Ahmed", "Ahmadou", "Amadou"],
    "ahmed": ["Ahmad", "Ahmadou", "Amadou"],
    "ali": ["Aly", "Alii"],
    "usman": ["Ousmane", "Othman", "Osman"],
    "uthman": ["Ousmane", "Usman", "Othman"],
    "othman": ["Ousmane", "Usman", "Uthman"],
    "osman": ["Ousmane", "Usman"],
    "abu": ["Abou", "Abo"],
    "bakr": ["Bakar", "Bakir"],
    "abubakar": ["Aboubacar", "Boubacar", "Abubakr"],
    "abdullah": ["Abdallah", "Abdoulaye", "Abdellah"],
    "abdallah": ["Abdullah", "Abdoulaye"],
    "abdul": ["Abdel", "Abdoul", "Abd al"],
    "abd": ["Abdel", "Abdoul"],
    "hussein": ["Husayn", "Houssein", "Hussain", "Hocine"],
    "husayn": ["Hussein", "Houssein"],
    "hasan": ["Hassan", "Hassane"],
    "hassan": ["Hasan", "Hassane"],
    "yusuf": ["Youssouf", "Yousef", "Youssef"],
    "yousef": ["Yusuf", "Youssef"],
    "ibrahim": ["Ibrahima", "Brahim", "Ebrahim"],
    "musa": ["Moussa", "Mousa"],
    "umar": ["Oumar", "Omar"],
    "omar": ["Oumar", "Umar"],
    "sulayman": ["Souleymane", "Suleiman", "Sulaiman"],
    "sulaiman": ["Souleymane", "Sulayman"],
    "suleiman": ["Souleymane", "Sulayman"],
    "khalid": ["Khaled", "Khaleed"],
    "khaled": ["Khalid"],
    "mahmud": ["Mahmoud", "Mahmood"],
    "mahmoud": ["Mahmud", "Mahmood"],
    "mustafa": ["Moustapha", "Mostafa", "Mustapha"],
    "said": ["Saeed", "Saeid"],
    "saeed": ["Said", "Saeid"],
    "yahya": ["Yahia", "Yehia"],
    "isa": ["Issa"],
    "idris": ["Idrissa", "Driss"],
    "salih": ["Saleh", "Salah"],
    "saleh": ["Salih", "Salah"],
    "nasser": ["Nasir", "Nacer"],
    "nasir": ["Nasser", "Naser"],
    "jamal": ["Gamal", "Djamal"],
    "sidi": ["Sidy"],
    "amadou": ["Ahmadou", "Amadu"],
    "mamadou": ["Mahamadou", "Mohamed"],
    "diarra": ["Dyarra", "Diara"],
    "keita": ["Keïta", "Kei'ta"],
    "toure": ["Touré", "Ture"],
    "coulibaly": ["Kulibali", "Koulibaly"],
    "traore": ["Traoré"],
    "cisse": ["Cissé", "Sissé"],
    "diallo": ["Djallo", "Jallo"],
    "camara": ["Kamara"],
    "ag": ["Ag"],
}
# Generic transliteration rules when no word of the name is in the table.
RULES = [
    ("ou", "u"), ("u", "ou"), ("ee", "i"), ("y", "i"), ("q", "k"), ("k", "q"),
    ("kh", "h"), ("sh", "ch"), ("ph", "f"), ("ai", "ay"), ("ei", "ey"), ("oo", "u"),
]  # fmt: skip
RANKS = [
    "Colonel-major", "Colonel Major", "Général de brigade", "Général de division",
    "Médecin-colonel", "Lieutenant-colonel", "Capitaine de vaisseau", "Chef d'escadron",
    "Adjudant-chef", "Brig. Gen.", "Lt Col", "Maj. Gen.", "Colonel", "Commandant",
    "Capitaine", "Gen.", "Lieutenant General", "Sergent-chef", "Commissaire divisionnaire",
    "Dr", "El Hadj", "Cheikh", "Imam", "Général", "Col.", "Capt.", "Major General",
]  # fmt: skip
KINDS = ["transliteration", "drop_middle", "order", "rank", "accents", "typo", "combined"]


def strip_accents(text: str) -> str:
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def fold_words(text: str) -> tuple[str, ...]:
    text = strip_accents(text).lower().replace("'", "").replace("\u2019", "")
    return tuple(sorted(w for w in re.split(r"[^a-z0-9]+", text) if w))


def add_accents(text: str, rng: random.Random) -> str:
    table = {"e": "é", "i": "ï", "a": "à", "o": "ô", "u": "ü", "E": "É"}
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if c in table]
    for i in rng.sample(spots, min(2, len(spots))):
        chars[i] = table[chars[i]]
    return "".join(chars)


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["sub", "del", "swap", "dup"])
    if kind == "sub":
        return word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]
    if kind == "del":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def translit(words: list[str], rng: random.Random) -> list[str]:
    spots = [i for i, w in enumerate(words) if w.lower() in TRANSLIT]
    out = list(words)
    if spots:
        i = rng.choice(spots)
        out[i] = rng.choice(TRANSLIT[words[i].lower()])
        return out
    for i in rng.sample(range(len(words)), len(words)):
        low = words[i].lower()
        rules = [(a, b) for a, b in RULES if a in low[1:]]
        if rules and len(low) >= 4:
            a, b = rng.choice(rules)
            pos = low.index(a, 1)
            new = low[:pos] + b + low[pos + len(a) :]
            out[i] = new.capitalize() if words[i][:1].isupper() else new
            return out
    return out


def split_name(name: str) -> tuple[list[str], list[str]]:
    """Given names and family name of an SDN name ("LAST, First Middle")."""
    if ", " in name:
        family, given = name.split(", ", 1)
        return given.split(), [w.title() if w.isupper() else w for w in family.split()]
    words = name.split()
    return words[:-1], words[-1:]


def listed_persons(sdn: Path) -> list[dict[str, object]]:
    sys.path.insert(0, str(ROOT))
    from liaison.vetting.screening.formats import read_ofac_csv

    tuning = {e["id"] for e in read_ofac_csv(TUNING_ENTRIES)}
    persons = []
    for e in read_ofac_csv(sdn):
        if e["schema"] != "Person" or e["id"] in tuning:
            continue
        p = e["properties"]
        name = p["name"][0]
        given, family = split_name(name)
        if not given or not family or len(given + family) < 2:
            continue
        persons.append(
            {
                "id": e["id"], "name": name, "given": given, "family": family,
                "dates": p.get("birthDate", []), "countries": p.get("nationality", []),
                "program": "",
            }
        )  # fmt: skip
    return persons


def variant(kind: str, person: dict[str, object], rng: random.Random) -> str | None:
    given: list[str] = list(person["given"])  # type: ignore[call-overload]
    family: list[str] = list(person["family"])  # type: ignore[call-overload]
    full = given + family
    if kind == "transliteration":
        new = translit(full, rng)
        return " ".join(new) if new != full else None
    if kind == "drop_middle":
        if len(given) < 2:
            return None
        drop = rng.randrange(1, len(given))
        return " ".join(given[:drop] + given[drop + 1 :] + family)
    if kind == "order":
        return " ".join([w.upper() for w in family] + given)
    if kind == "rank":
        return f"{rng.choice(RANKS)} {' '.join(full)}"
    if kind == "accents":
        text = " ".join(full)
        plain = strip_accents(text)
        return plain if plain != text else add_accents(text, rng)
    if kind == "typo":
        long = [i for i, w in enumerate(full) if len(w) >= 5]
        if not long:
            return None
        i = rng.choice(long)
        return " ".join([*full[:i], typo(full[i], rng), *full[i + 1 :]])
    # combined: another transliteration, another order, a rank, accents dropped
    mixed = translit(full, rng)
    mixed = mixed[len(given) :] + mixed[: len(given)] if rng.random() < 0.5 else mixed
    return strip_accents(f"{rng.choice(RANKS)} {' '.join(mixed)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sdn", type=Path, default=None)
    args = parser.parse_args()
    sdn = args.sdn or next((p for p in SDN_CANDIDATES if p.exists()), None)
    if sdn is None:
        raise SystemExit("the whole SDN list is needed: --sdn PATH")
    rng = random.Random(SEED)
    persons = listed_persons(sdn)
    rng.shuffle(persons)
    rows: list[dict[str, object]] = []
    n = 0
    for person in persons:
        if n >= PERSONS:
            break
        kind = KINDS[n % len(KINDS)]
        query = variant(kind, person, rng)
        unchanged = fold_words(query or "") == fold_words(str(person["name"]))
        if query is None or (unchanged and kind in ("transliteration", "typo")):
            continue
        dates: list[str] = person["dates"]  # type: ignore[assignment]
        countries: list[str] = person["countries"]  # type: ignore[assignment]
        full_dates = [d for d in dates if len(d) == 10]
        rows.append(
            {
                "label": 1, "kind": kind, "query_name": query,
                "query_birth_date": full_dates[0] if full_dates and rng.random() < 0.33 else "",
                "query_country": countries[0] if countries and rng.random() < 0.5 else "",
                "entity_id": person["id"], "entity_name": person["name"], "source_url": "",
            }
        )  # fmt: skip
        n += 1
    listed_names = {fold_words(str(p["name"])) for p in persons}
    left_out = []
    for r in csv.DictReader(LOOKALIKES.open(encoding="utf-8")):
        if fold_words(r["name"]) in listed_names:
            left_out.append(r["name"])
            continue
        rows.append(
            {
                "label": 0, "kind": "sahel_public_figure", "query_name": r["name"],
                "query_birth_date": "", "query_country": r["country"], "entity_id": "",
                "entity_name": "", "source_url": r["source_url"],
            }
        )  # fmt: skip
    with QUERIES.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    pos = sum(1 for r in rows if r["label"] == 1)
    print(f"{pos} variants of listed persons, {len(rows) - pos} look-alikes written to "
          f"{QUERIES.relative_to(ROOT)}; left out as written like a listed name: {left_out}")  # fmt: skip


if __name__ == "__main__":
    main()
