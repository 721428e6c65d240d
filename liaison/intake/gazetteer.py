"""What Liaison already knows, given to the pipeline so that it recognises and resolves
known organisations (names, acronyms, aliases), persons and places."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class KnownName:
    model: str  # "partners.organization", "partners.person", "geo.subdivision", ...
    pk: int
    name: str
    aliases: list[str] = field(default_factory=list)  # acronyms included
    extra: dict[str, Any] = field(default_factory=dict)  # rank, organisation, country...


@dataclass
class Gazetteer:
    organizations: list[KnownName] = field(default_factory=list)
    persons: list[KnownName] = field(default_factory=list)
    places: list[KnownName] = field(default_factory=list)


def gazetteer_for(user: Any) -> Gazetteer:
    """The records this user may see (and only those), as a Gazetteer: organisations with
    their names, acronyms and aliases; persons with their rank; countries, and the
    subdivisions of the countries those organisations and persons belong to."""
    from liaison.geo.models import Country, Subdivision
    from liaison.partners.models import Organization, Person

    gaz = Gazetteer()
    countries: set[int] = set()
    for org in Organization.objects.visible_to(user).only(
        "pk", "name_fr", "name_en", "acronym_fr", "acronym_en", "aliases", "country_id"
    ):
        names = [n for n in (org.name_fr, org.name_en) if n]
        others = [n for n in (*names[1:], org.acronym_fr, org.acronym_en) if n]
        others += [a for a in (org.aliases or []) if isinstance(a, str) and a]
        if not names and not others:
            continue
        gaz.organizations.append(
            KnownName(
                "partners.organization",
                org.pk,
                names[0] if names else others[0],
                list(dict.fromkeys(others)),
                {"acronym": org.acronym_fr or org.acronym_en},
            )
        )
        if org.country_id:
            countries.add(org.country_id)
    for person in Person.objects.visible_to(user).only(
        "pk", "full_name", "aliases", "rank", "nationality_id"
    ):
        if not person.full_name:
            continue
        aliases = [a for a in (person.aliases or []) if isinstance(a, str) and a]
        gaz.persons.append(
            KnownName(
                "partners.person", person.pk, person.full_name, aliases, {"rank": person.rank}
            )
        )
        if person.nationality_id:
            countries.add(person.nationality_id)
    for country in Country.objects.all():
        names = [n for n in (country.name_en, country.name_fr) if n]
        gaz.places.append(
            KnownName(
                "geo.country", country.pk, names[0], names[1:], {"alpha2": country.alpha2.lower()}
            )
        )
    for sub in Subdivision.objects.filter(country_id__in=countries).select_related("country"):
        aliases = [sub.name_fr] if sub.name_fr and sub.name_fr != sub.name else []
        gaz.places.append(
            KnownName(
                "geo.subdivision",
                sub.pk,
                sub.name,
                aliases,
                {"alpha2": sub.country.alpha2.lower(), "code": sub.code},
            )
        )
    return gaz
