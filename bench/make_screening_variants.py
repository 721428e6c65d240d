"""Write bench/data/screening_variants.csv: the labelled pairs of the accuracy benchmark.

Listed persons are the 21 Mali-related OFAC entries (liaison/vetting/tests/data) plus 60
fictional persons with names common in Mali and the Sahel. For each, queries are made
the way names reach a vetting officer: another order, accents lost or added, another
transliteration (from a table written here, independent of the matcher's own), an
initial, a typo, a rank or title in front, and several of these at once (label 1). The
non-matches (label 0) look alike: the same family name with another given name (two
different Maïga), the same given name with another family name, a near name, or the same
name with a birth date and nationality that rule the person out (a homonym).
Deterministic (seeded): run it again and the file is the same.

    .venv/bin/python bench/make_screening_variants.py
"""

from __future__ import annotations

import csv
import json
import random
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FTM = ROOT / "liaison/vetting/tests/data/ofac_sdn_mali_subset_20240503.ftm.jsonl"
OUT = ROOT / "bench/data/screening_variants.csv"

GIVEN = [
    "Mamadou",
    "Moussa",
    "Amadou",
    "Ibrahim",
    "Oumar",
    "Ousmane",
    "Abdoulaye",
    "Boubacar",
    "Souleymane",
    "Ismaël",
    "Youssouf",
    "Hamadoun",
    "Sidi",
    "Cheick",
    "Seydou",
    "Aliou",
    "Modibo",
    "Bakary",
    "Lassana",
    "Drissa",
    "Yacouba",
    "Issa",
    "Adama",
    "Soumaïla",
    "Tiémoko",
    "Fousseyni",
    "Mahamadou",
    "Hamidou",
    "Mohamed",
    "Ahmed",
    "Hussein",
    "Mustapha",
    "Idrissa",
    "Salif",
    "Kalifa",
    "Siaka",
    "Nouhoum",
    "Bréhima",
    "Daouda",
    "Mamoutou",
]
FAMILY = [
    "Maïga",
    "Traoré",
    "Coulibaly",
    "Diarra",
    "Keïta",
    "Touré",
    "Cissé",
    "Sidibé",
    "Sangaré",
    "Konaté",
    "Dembélé",
    "Doumbia",
    "Diallo",
    "Camara",
    "Kanté",
    "Sissoko",
    "Dicko",
    "Haïdara",
    "Tounkara",
    "Koné",
    "Goïta",
    "Wagué",
    "Diaw",
    "Samaké",
    "Bagayoko",
    "Togola",
    "Fofana",
    "Guindo",
    "Kouyaté",
    "Niang",
]
PARTICLE_FAMILY = ["Ag Intalla", "Ould Sidi", "Ag Acharatoumane", "Ould Bouamama", "Ag Ghaly"]

# Spellings met in records (French, English, Arabic transliterations), written for this
# benchmark: the matcher's table is not read here.
ALT = {
    "Mohamed": ["Mahamadou", "Muhammad", "Mohammed", "Mouhamed"],
    "Mahamadou": ["Mohamed", "Mohamadou", "Mahamadu"],
    "Moussa": ["Musa", "Mousa"],
    "Oumar": ["Omar", "Umar", "Oumarou"],
    "Ousmane": ["Usman", "Othman", "Osmane"],
    "Souleymane": ["Suleiman", "Soulaimane", "Sulayman"],
    "Ibrahim": ["Ibrahima", "Brahim", "Ebrahim"],
    "Youssouf": ["Yusuf", "Youssef", "Yousouf"],
    "Abdoulaye": ["Abdallah", "Abdullah", "Abdoulahi"],
    "Hussein": ["Houssein", "Husayn", "Hocine"],
    "Sidi": ["Sidy"],
    "Cheick": ["Cheikh", "Cheik"],
    "Ismaël": ["Ismail", "Ismaila"],
    "Idrissa": ["Idriss", "Idrisa"],
    "Boubacar": ["Aboubacar", "Abubakar"],
    "Mustapha": ["Moustapha", "Mustafa"],
    "Ahmed": ["Ahmad", "Ahmadou"],
    "Yacouba": ["Yakouba", "Yaqub"],
    "Issa": ["Isa"],
    "Ould": ["Wold", "Ould"],
    "Coulibaly": ["Koulibaly", "Kulibali"],
    "Keïta": ["Keita", "Kéita"],
    "Touré": ["Toure", "Turé"],
    "Cissé": ["Cisse", "Sissé"],
    "Diallo": ["Djallo", "Jallo"],
    "Camara": ["Kamara"],
    "Diarra": ["Diara"],
    "Bagayoko": ["Bagayogo", "Bagayoco"],
    "Haïdara": ["Haidara", "Haydara"],
    "Tounkara": ["Tunkara"],
    "Sangaré": ["Sangare", "Sangaré"],
    "Dicko": ["Dico"],
    "Maïga": ["Maiga", "Maïga"],
    "Fofana": ["Fofanah"],
    "Kouyaté": ["Kuyate", "Kouyate"],
    "Samaké": ["Samake"],
    "Ghaly": ["Ghali"],
    "Ghali": ["Ghaly"],
}
TITLES = [
    "Colonel-Major", "Général de brigade", "Général de division", "Capitaine",
    "Lieutenant-Colonel", "Commandant", "Col.", "Adjudant-chef", "Dr", "El Hadj",
    "Brigadier General", "Major", "Lt Col", "Sergent-chef", "Chef de bataillon",
]  # fmt: skip
NEAR = {
    "Hamidou": "Hamadoun", "Hamadoun": "Hamidou", "Modibo": "Mahamadou", "Siaka": "Sidiki",
    "Salif": "Saliou", "Daouda": "Dramane", "Kalifa": "Khalil", "Bakary": "Bakaye",
    "Lassana": "Lassina", "Drissa": "Daouda", "Adama": "Adam", "Seydou": "Seyni",
    "Aliou": "Alassane", "Amadou": "Hamadi", "Issa": "Isaac", "Nouhoum": "Nouh",
}  # fmt: skip


def strip_accents(text: str) -> str:
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def add_accents(text: str, rng: random.Random) -> str:
    table = {"e": "é", "i": "ï", "a": "à", "o": "ô", "u": "ü"}
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if c in table]
    for i in rng.sample(spots, min(2, len(spots))):
        chars[i] = table[chars[i]]
    return "".join(chars)


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["sub", "del", "swap", "dup"])
    if kind == "sub":
        return word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]
    if kind == "del":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def translit(words: list[str], rng: random.Random) -> list[str] | None:
    spots = [i for i, w in enumerate(words) if w in ALT]
    if not spots:
        return None
    i = rng.choice(spots)
    out = list(words)
    out[i] = rng.choice(ALT[words[i]])
    return out


def listed_people(rng: random.Random) -> list[dict[str, object]]:
    people: list[dict[str, object]] = []
    for line in FTM.read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        if e["schema"] != "Person":
            continue
        p = e["properties"]
        given = p.get("firstName", [""])[0].split()
        family = p.get("lastName", [""])[0].title().split()
        people.append(
            {
                "id": e["id"], "given": given, "family": family, "list_name": p["name"][0],
                "dates": p.get("birthDate", []), "countries": p.get("nationality", []),
            }
        )  # fmt: skip
    for n in range(60):
        given = rng.sample(GIVEN, 2 if rng.random() < 0.3 else 1)
        family = rng.choice(PARTICLE_FAMILY) if rng.random() < 0.15 else rng.choice(FAMILY)
        year = rng.randint(1955, 1992)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        fam = family.split()
        people.append(
            {
                "id": f"synthetic-{n}", "given": given, "family": fam,
                "list_name": f"{' '.join(fam).upper()}, {' '.join(given)}",
                "dates": [date if rng.random() < 0.7 else str(year)],
                "countries": [rng.choice(["ml", "ml", "ml", "mr", "ne", "bf"])],
            }
        )  # fmt: skip
    return people


def other_date(dates: list[str], rng: random.Random) -> str:
    year = int(dates[0][:4]) if dates else 1970
    shift = rng.choice([-12, -9, -7, 6, 8, 11])
    return f"{year + shift}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def main() -> None:
    rng = random.Random(7)
    rows: list[dict[str, object]] = []
    for person in listed_people(rng):
        given, family = list(person["given"]), list(person["family"])  # type: ignore[call-overload]
        full = given + family
        dates: list[str] = person["dates"]  # type: ignore[assignment]
        countries: list[str] = person["countries"]  # type: ignore[assignment]

        def add(kind: str, words: list[str] | str, label: int, evidence: bool = False,
                date: str = "", country: str = "") -> None:  # fmt: skip
            name = words if isinstance(words, str) else " ".join(words)
            if evidence and dates and len(dates[0]) == 10:
                date = dates[0]
            if evidence and countries:
                country = countries[0]
            rows.append(
                {
                    "kind": kind, "label": label, "query_name": name, "query_birth_date": date,
                    "query_country": country, "entity_id": person["id"],
                    "entity_name": person["list_name"], "entity_birth_dates": ";".join(dates),
                    "entity_countries": ";".join(countries),
                }
            )  # fmt: skip

        add("exact", full, 1)
        add("order", [w.upper() for w in family] + given, 1)
        add("diacritics", strip_accents(" ".join(full)) if strip_accents(" ".join(full)) !=
            " ".join(full) else add_accents(" ".join(full), rng), 1)  # fmt: skip
        alt = translit(full, rng)
        if alt:
            add("transliteration", alt, 1, evidence=rng.random() < 0.5)
        if len(given) >= 1 and len(full) >= 2:
            add("initials", [given[0][0] + "."] + given[1:] + family, 1, evidence=True)
        long = [i for i, w in enumerate(full) if len(w) >= 5]
        if long:
            i = rng.choice(long)
            add("typo", full[:i] + [typo(full[i], rng)] + full[i + 1 :], 1)
        add("title", [rng.choice(TITLES)] + full, 1)
        mixed = translit(full, rng) or full
        mixed = [rng.choice(TITLES)] + (mixed[len(given) :] + mixed[: len(given)])
        add("combined", strip_accents(" ".join(mixed)), 1, evidence=True)
        # look-alike non-matches
        others = [g for g in GIVEN if (g not in given and ALT.get(g, []) == ALT.get(given[0], [0]))
                  or (g not in given and g not in ALT.get(given[0], []))]  # fmt: skip
        other_given = rng.choice([g for g in others if strip_accents(g) not in
                                  {strip_accents(x) for x in given}])  # fmt: skip
        add("same_family", [other_given] + family, 0,
            date=other_date(dates, rng) if rng.random() < 0.5 else "")  # fmt: skip
        other_family = rng.choice([f for f in FAMILY if f.split() != family])
        add("same_given", given + [other_family], 0)
        near = [i for i, w in enumerate(full) if w in NEAR]
        if near:
            i = near[0]
            add("near_name", full[:i] + [NEAR[full[i]]] + full[i + 1 :], 0,
                date=other_date(dates, rng))  # fmt: skip
        foreign = rng.choice(["fr", "us", "cn", "br", "de"])
        add("homonym", full, 0, date=other_date(dates, rng), country=foreign)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} pairs written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
