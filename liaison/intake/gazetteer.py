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
    """The records this user may see (and only those), as a Gazetteer."""
    raise NotImplementedError("lands with issue 6")
