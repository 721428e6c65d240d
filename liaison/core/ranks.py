"""Military, gendarmerie and police ranks in French and English, with their abbreviations:
one vocabulary for the intake (a rank before a name is kept apart from it), screening (a
leading rank is not part of the name compared) and the synthetic data generator.

A rank is written as texts write it ("lieutenant-colonel", "Lieutenant Colonel"), then
its abbreviations and shorter written forms ("Lt. Col.", "LCL"). Users fold them as
they compare (core.text); they draw subsets with `pick`, never a list of their own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rank:
    name: str
    language: str  # "fr" or "en"
    abbreviations: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """The name, then the abbreviations."""
        return (self.name, *self.abbreviations)


def _ranks(language: str, block: str) -> tuple[Rank, ...]:
    """One rank a line: its name, then its abbreviations, separated by "|"."""
    ranks = []
    for line in block.strip().splitlines():
        name, *abbreviations = (part.strip() for part in line.split("|"))
        ranks.append(Rank(name, language, tuple(abbreviations)))
    return tuple(ranks)


# Armies, air forces, navies, gendarmeries, services of health, police.
FRENCH = _ranks(
    "fr",
    """
général d'armée | GDA
général de corps d'armée | GCA
général de corps aérien
général de division | GDI
général de division aérienne
général de brigade | GBR
général de brigade aérienne | GBA
général d'armée aérienne
général | Gal
colonel-major | Col-Maj | Colonel Maj
colonel | Col
lieutenant-colonel | lieutenant-col | Lt-Col | LtCol | LCL
commandant | Cdt | Cmdt
chef de bataillon | CBA
chef d'escadron | CEN
chef d'escadrons
chef d'escadrille
capitaine | Cne | Cpt
lieutenant | Lt | Ltn
sous-lieutenant | SLT
aspirant | Asp
major | Maj
adjudant-chef | ADC
adjudant | Adj
sergent-chef | SGC
sergent-major | SGM
sergent | Sgt
caporal-chef | CCH
caporal | Cpl
soldat de première classe | soldat de 1ère classe | 1CL
soldat de deuxième classe | 2CL
soldat | Sdt
maréchal des logis-chef | MDC
maréchal des logis | MDL
maréchal
brigadier-chef
brigadier
amiral
vice-amiral d'escadre
vice-amiral
contre-amiral
capitaine de vaisseau
capitaine de frégate
capitaine de corvette
lieutenant de vaisseau
enseigne de vaisseau
maître principal
premier maître
second maître
quartier-maître
matelot
médecin général inspecteur
médecin général
médecin-colonel-major
médecin-colonel
médecin-lieutenant-colonel
médecin-commandant
médecin-capitaine
médecin-lieutenant
médecin-aspirant
pharmacien-colonel
pharmacien-commandant
vétérinaire-colonel
commissaire-colonel
commissaire-commandant
intendant militaire
commissaire divisionnaire de police
commissaire divisionnaire
commissaire principal de police
commissaire principal
commissaire de police
commissaire
inspecteur général de police
inspecteur général
inspecteur de police
inspecteur
contrôleur général de police
contrôleur général
officier de police
gendarme
garde
""",
)
ENGLISH = _ranks(
    "en",
    """
General of the Army
General | Gen.
Lieutenant General | Lt. Gen. | LtGen | Lieut. Gen. | LTG
Major General | Maj. Gen. | MajGen
Brigadier General | Brig. Gen. | BrigGen
Brigadier | Brig.
Colonel | Col.
Lieutenant Colonel | Lt. Col. | Lieut. Col. | LTC
Major | Maj.
Captain | Capt.
First Lieutenant | 1st Lt.
Second Lieutenant | 2nd Lt.
Lieutenant | Lt.
Chief Warrant Officer
Warrant Officer
Sergeant Major
Master Sergeant
Staff Sergeant
Sergeant First Class
Sergeant | Sgt.
Lance Corporal
Corporal
Private First Class | PFC
Private | Pvt.
Admiral
Vice Admiral
Rear Admiral
Commodore
Lieutenant Commander
Commander | Cmdr. | Cdr.
Chief Superintendent
Superintendent
Inspector General of Police
Commissioner of Police
Field Marshal
Marshal
Air Chief Marshal
Air Marshal
Air Vice-Marshal
Air Commodore
Group Captain
Wing Commander
Squadron Leader
Flight Lieutenant
Flying Officer
Pilot Officer
""",
)
RANKS = FRENCH + ENGLISH
_BY_NAME = {(r.language, r.name): r for r in RANKS}


def pick(language: str, *names: str) -> tuple[Rank, ...]:
    """The ranks named, in that order (a subset of the vocabulary; KeyError if a name is
    not in it)."""
    return tuple(_BY_NAME[language, name] for name in names)


def forms(ranks: tuple[Rank, ...] = RANKS) -> list[str]:
    """Every name and abbreviation of the ranks, names first."""
    return [r.name for r in ranks] + [a for r in ranks for a in r.abbreviations]
