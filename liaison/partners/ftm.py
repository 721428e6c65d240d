"""Organisations, persons, positions and assignments as FollowTheMoney entities, and back.

Export (`liaison export ftm`): what the user may see, one FtM entity a line.

- Organization -> `Organization` (name: French then English; abbreviation: the acronyms;
  alias; country; classification: the kind; website; description; parent).
- Person -> `Person` (name, firstName, lastName, alias, title: the rank, gender,
  nationality, birthDate, description).
- Position -> `Position` (name: the French then English title, organization) and
  `Occupancy` (holder, post, startDate, endDate, status "current" or "ended"); the
  occupancy's id is the position's followed by "-occupancy".
- Assignment (an advisor posted to an organisation) -> `Membership` (member,
  organization, role, startDate, endDate).

A linked record the user may not see is never named, and nothing is written half: an
organisation's hidden parent is left out, but a Position and its Occupancy whose holder or
organisation is hidden, or a Membership whose member or organisation is, are not written
at all (FtM requires the Occupancy's holder and the Membership's two ends, and Liaison's
positions need both), and are counted in the command's summary.

Each exported record keeps its FtM id in `core.ExternalReference` (scheme "ftm"), made
at its first export or import. Import (`liaison import_ftm FILE`) reads the lines back:
an entity whose id is known updates its record (if the user may change it), any other
creates one in the chosen workspace and remembers the id, so that importing the same
file twice changes nothing. All or nothing: one refused entity and nothing is written;
each refusal names its line, entity and reason.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from followthemoney import model as ftm_model
from followthemoney.exc import InvalidData

from liaison.activities.models import Assignment
from liaison.core import access
from liaison.core.links import Withheld
from liaison.core.models import ExternalReference, Workspace
from liaison.core.querysets import visible
from liaison.geo.models import Country
from liaison.partners.choices import Gender, OrganizationKind
from liaison.partners.models import Organization, Person, Position

SCHEME = "ftm"
OCCUPANCY_SUFFIX = "-occupancy"


# --- Identifiers -----------------------------------------------------------------------


def _content_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


def ftm_ids(records: list[models.Model]) -> dict[int, str]:
    """{pk: FtM id} for records of one model, making the ids not made yet."""
    if not records:
        return {}
    content_type = _content_type(type(records[0]))
    pks = [r.pk for r in records]
    known = dict(
        ExternalReference.objects.filter(
            scheme=SCHEME, content_type=content_type, object_id__in=pks
        ).values_list("object_id", "value")
    )
    fresh = [
        ExternalReference(
            scheme=SCHEME,
            value=f"liaison-{type(records[0])._meta.model_name}-{uuid.uuid4().hex}",
            content_type=content_type,
            object_id=pk,
        )
        for pk in pks
        if pk not in known
    ]
    ExternalReference.objects.bulk_create(fresh, batch_size=500)
    known.update({ref.object_id: ref.value for ref in fresh})
    return known


def _ids_of(model: type[models.Model], pks: Iterable[int]) -> dict[int, str]:
    """The FtM ids of linked records already known (records the user sees)."""
    return dict(
        ExternalReference.objects.filter(
            scheme=SCHEME, content_type=_content_type(model), object_id__in=list(pks)
        ).values_list("object_id", "value")
    )


# --- Export --------------------------------------------------------------------------


def _entity(schema: str, entity_id: str, **properties: Any) -> dict[str, Any]:
    proxy = ftm_model.make_entity(schema)
    proxy.id = entity_id
    for name, values in properties.items():
        if values is None or values == "" or values == []:
            continue
        proxy.add(name, values if isinstance(values, list) else [values])
    return dict(proxy.to_dict())


def _pair(first: str, second: str) -> list[str]:
    return [v for v in dict.fromkeys([first, second]) if v]


def _linked(obj: Any) -> Any:
    return None if obj is None or isinstance(obj, Withheld) else obj


def export_entities(
    user: Any, workspace: Workspace | None = None, left_out: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The FtM entities of what the user may see (owned by `workspace`, if given).

    An entity is never written without a property its schema requires: an Occupancy
    whose holder, or a Membership whose member or organisation, the user may not see (or
    that has none) is left out, and its id added to `left_out`."""
    skipped: list[str] = left_out if left_out is not None else []

    def scope(model: type[models.Model]) -> models.QuerySet[Any]:
        queryset = visible(model, user).order_by("pk")
        return queryset.filter(owner=workspace) if workspace is not None else queryset

    with transaction.atomic():
        organizations = list(scope(Organization).select_related("country"))
        persons = list(scope(Person).select_related("nationality"))
        positions = list(scope(Position))
        assignments = list(scope(Assignment))
        org_ids = ftm_ids(organizations)
        person_ids = ftm_ids(persons)
        position_ids = ftm_ids(positions)
        assignment_ids = ftm_ids(assignments)
        # Linked records outside the scope (another workspace's, but visible) get ids too.
        linked_orgs = [
            o
            for o in [
                *(_linked(x.parent) for x in organizations),
                *(_linked(p.organization) for p in positions),
                *(_linked(a.organization) for a in assignments),
            ]
            if o is not None and o.pk not in org_ids
        ]
        org_ids.update(ftm_ids(list({o.pk: o for o in linked_orgs}.values())))
        linked_persons = [
            p
            for p in [
                *(_linked(x.person) for x in positions),
                *(_linked(a.person) for a in assignments),
            ]
            if p is not None and p.pk not in person_ids
        ]
        person_ids.update(ftm_ids(list({p.pk: p for p in linked_persons}.values())))

    for org in organizations:
        parent = _linked(org.parent)
        yield _entity(
            "Organization",
            org_ids[org.pk],
            name=_pair(org.name_fr, org.name_en),
            abbreviation=_pair(org.acronym_fr, org.acronym_en),
            alias=list(org.aliases or []),
            country=org.country.alpha2.lower() if org.country else None,
            classification=org.kind,
            website=org.website,
            description=org.description,
            parent=org_ids[parent.pk] if parent else None,
        )
    for person in persons:
        yield _entity(
            "Person",
            person_ids[person.pk],
            name=person.full_name,
            firstName=person.given_names,
            lastName=person.family_name,
            alias=list(person.aliases or []),
            title=person.rank,
            gender=person.gender if person.gender in ("male", "female", "other") else None,
            nationality=person.nationality.alpha2.lower() if person.nationality else None,
            birthDate=person.birth_date.isoformat() if person.birth_date else None,
            description=person.description,
        )
    for position in positions:
        org = _linked(position.organization)
        holder = _linked(position.person)
        post_id = position_ids[position.pk]
        if org is None or holder is None:
            # A post is a person's in an organisation: without either it is half written.
            skipped.extend([post_id, post_id + OCCUPANCY_SUFFIX])
            continue
        yield _entity(
            "Position",
            post_id,
            name=_pair(position.title_fr, position.title_en),
            organization=org_ids[org.pk],
        )
        yield _entity(
            "Occupancy",
            post_id + OCCUPANCY_SUFFIX,
            holder=person_ids[holder.pk],
            post=post_id,
            startDate=position.start_date.isoformat() if position.start_date else None,
            endDate=position.end_date.isoformat() if position.end_date else None,
            status="current" if position.is_current else "ended",
        )
    for assignment in assignments:
        member = _linked(assignment.person)
        host = _linked(assignment.organization)
        if member is None or host is None:
            skipped.append(assignment_ids[assignment.pk])
            continue
        yield _entity(
            "Membership",
            assignment_ids[assignment.pk],
            member=person_ids[member.pk],
            organization=org_ids[host.pk],
            role=assignment.role,
            startDate=assignment.start_date.isoformat() if assignment.start_date else None,
            endDate=assignment.end_date.isoformat() if assignment.end_date else None,
        )


def export_lines(
    user: Any, workspace: Workspace | None = None, left_out: list[str] | None = None
) -> Iterator[str]:
    for entity in export_entities(user, workspace, left_out):
        yield json.dumps(entity, ensure_ascii=False, sort_keys=True)


# --- Import --------------------------------------------------------------------------


@dataclass
class Refusal:
    line: int
    entity: str
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s, entity %(entity)s: %(reason)s") % {
            "line": self.line,
            "entity": self.entity,
            "reason": self.reason,
        }


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)


class ImportRefused(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("; ".join(str(r) for r in report.refused[:10]))
        self.report = report


def _first(proxy: Any, prop: str) -> str:
    return str(proxy.first(prop) or "")


def _two(values: list[str], current: tuple[str, str] | None) -> tuple[str, str]:
    """French and English values from an FtM list (French first); an existing record whose
    values are the same set keeps them as they are."""
    if current is not None and set(values) == {v for v in current if v}:
        return current
    return (values[0] if values else "", values[1] if len(values) > 1 else "")


def _date(proxy: Any, prop: str) -> dt.date | None:
    """A full date (FtM allows partial ones: "2024" or "2024-03" are not kept)."""
    value = str(proxy.first(prop) or "")
    try:
        return dt.date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


class Importer:
    """Reads FtM entities back into records, all or nothing."""

    schemata = ("Organization", "PublicBody", "Person", "Position", "Occupancy", "Membership")

    def __init__(self, user: Any, workspace: Workspace) -> None:
        self.user = user
        self.workspace = workspace
        self.report = ImportReport()
        self.resolved: dict[str, models.Model] = {}
        self.countries = {c.alpha2.lower(): c for c in Country.objects.all()}

    def refuse(self, line: int, entity: str, reason: str) -> None:
        self.report.refused.append(Refusal(line, entity, reason))

    def existing(self, model: type[models.Model], entity_id: str, line: int) -> Any:
        """The record an FtM id maps to, if the user may change it; None if unknown."""
        ref = ExternalReference.objects.filter(scheme=SCHEME, value=entity_id).first()
        if ref is None:
            return None
        target = ref.content_type.model_class()
        if target is None or not target._default_manager.filter(pk=ref.object_id).exists():
            ref.delete()  # its record was deleted since: the entity makes a new one
            return None
        record = visible(model, self.user).filter(pk=ref.object_id).first()
        if (
            ref.content_type_id != _content_type(model).pk
            or record is None
            or not access.can(self.user, access.CHANGE, record)
        ):
            self.refuse(
                line, entity_id, _("this identifier belongs to a record you may not change")
            )
            return False
        return record

    def link(self, entity_id: str | None, model: type[models.Model]) -> Any:
        """A linked record: one of this file, or one the user sees already."""
        if not entity_id:
            return None
        found = self.resolved.get(entity_id)
        if found is not None:
            return found if isinstance(found, model) else None
        ref = ExternalReference.objects.filter(
            scheme=SCHEME, value=entity_id, content_type=_content_type(model)
        ).first()
        if ref is None:
            return None
        return visible(model, self.user).filter(pk=ref.object_id).first()

    def save(self, line: int, entity_id: str, record: Any, values: dict[str, Any]) -> None:
        creating = record is None
        if creating:
            model = values.pop("__model__")
            record = model(owner=self.workspace)
        else:
            values.pop("__model__", None)
        changed = creating or any(getattr(record, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(record, key, value)
        try:
            record.full_clean()
        except ValidationError as error:
            reasons = "; ".join(
                f"{name}: {' '.join(str(m) for m in messages)}"
                for name, messages in error.message_dict.items()
            )
            self.refuse(line, entity_id, reasons)
            return
        if changed:
            record.save()
        self.resolved[entity_id] = record
        if creating:
            ExternalReference.objects.create(
                scheme=SCHEME,
                value=entity_id,
                content_type=_content_type(type(record)),
                object_id=record.pk,
            )
            self.report.created += 1
        elif changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def organization(self, line: int, proxy: Any) -> None:
        record = self.existing(Organization, proxy.id, line)
        if record is False:
            return
        current = (record.name_fr, record.name_en) if record else None
        acronyms = (record.acronym_fr, record.acronym_en) if record else None
        name_fr, name_en = _two(proxy.get("name"), current)
        acronym_fr, acronym_en = _two(proxy.get("abbreviation"), acronyms)
        kind = _first(proxy, "classification")
        values: dict[str, Any] = {
            "__model__": Organization,
            "name_fr": name_fr,
            "name_en": name_en,
            "acronym_fr": acronym_fr,
            "acronym_en": acronym_en,
            "aliases": proxy.get("alias"),
            "country": self.countries.get(_first(proxy, "country")),
            "website": _first(proxy, "website"),
            "description": _first(proxy, "description"),
        }
        if kind in OrganizationKind.values:
            values["kind"] = kind
        elif record is None:
            values["kind"] = OrganizationKind.OTHER
        self.save(line, proxy.id, record, values)

    def person(self, line: int, proxy: Any) -> None:
        record = self.existing(Person, proxy.id, line)
        if record is False:
            return
        gender = _first(proxy, "gender")
        values = {
            "__model__": Person,
            "full_name": _first(proxy, "name"),
            "given_names": _first(proxy, "firstName"),
            "family_name": _first(proxy, "lastName"),
            "aliases": proxy.get("alias"),
            "rank": _first(proxy, "title"),
            "gender": gender if gender in Gender.values else Gender.UNKNOWN,
            "nationality": self.countries.get(_first(proxy, "nationality")),
            "birth_date": _date(proxy, "birthDate"),
            "description": _first(proxy, "description"),
        }
        self.save(line, proxy.id, record, values)

    def position(self, line: int, proxy: Any, occupancy: Any) -> None:
        record = self.existing(Position, proxy.id, line)
        if record is False:
            return
        current = (record.title_fr, record.title_en) if record else None
        title_fr, title_en = _two(proxy.get("name"), current)
        values: dict[str, Any] = {"__model__": Position, "title_fr": title_fr, "title_en": title_en}
        org = self.link(proxy.first("organization"), Organization)
        if org is not None:
            values["organization"] = org
        if occupancy is not None:
            holder = self.link(occupancy.first("holder"), Person)
            if holder is not None:
                values["person"] = holder
            values["start_date"] = _date(occupancy, "startDate")
            values["end_date"] = _date(occupancy, "endDate")
            values["is_current"] = _first(occupancy, "status") != "ended"
        if record is None and ("organization" not in values or "person" not in values):
            self.refuse(line, proxy.id, _("a new position needs its person and organisation"))
            return
        self.save(line, proxy.id, record, values)

    def membership(self, line: int, proxy: Any) -> None:
        record = self.existing(Assignment, proxy.id, line)
        if record is False:
            return
        values: dict[str, Any] = {
            "__model__": Assignment,
            "role": _first(proxy, "role"),
            "start_date": _date(proxy, "startDate"),
            "end_date": _date(proxy, "endDate"),
        }
        member = self.link(proxy.first("member"), Person)
        host = self.link(proxy.first("organization"), Organization)
        if member is not None:
            values["person"] = member
        if host is not None:
            values["organization"] = host
        if record is None and (member is None or host is None):
            self.refuse(line, proxy.id, _("a new membership needs its member and organisation"))
            return
        self.save(line, proxy.id, record, values)

    def run(self, lines: Iterable[str]) -> ImportReport:
        if not access.can_add(self.user, Organization, self.workspace.pk):
            raise PermissionError(
                _("%(user)s may not add records to %(workspace)s.")
                % {"user": self.user, "workspace": self.workspace}
            )
        entities: list[tuple[int, Any]] = []
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                proxy = ftm_model.get_proxy(json.loads(text))
            except (ValueError, InvalidData, TypeError, KeyError) as error:
                self.refuse(number, "?", _("not an FtM entity: %(error)s") % {"error": error})
                continue
            if proxy.schema.name not in self.schemata:
                self.refuse(
                    number,
                    str(proxy.id),
                    _("schema %(schema)s is not imported") % {"schema": proxy.schema.name},
                )
                continue
            entities.append((number, proxy))
        occupancies = {p.first("post"): p for _n, p in entities if p.schema.name == "Occupancy"}
        with transaction.atomic():
            organizations = [
                (n, p) for n, p in entities if p.schema.name in ("Organization", "PublicBody")
            ]
            for number, proxy in organizations:
                self.organization(number, proxy)
            # Parents once every organisation of the file exists.
            for _number, proxy in organizations:
                record = self.resolved.get(proxy.id)
                parent_id = proxy.first("parent")
                if record is None or not parent_id:
                    continue
                parent = self.link(parent_id, Organization)
                if parent is not None and getattr(record, "parent_id", None) != parent.pk:
                    record.parent = parent  # type: ignore[attr-defined]
                    record.save()
            for number, proxy in entities:
                if proxy.schema.name == "Person":
                    self.person(number, proxy)
            for number, proxy in entities:
                if proxy.schema.name == "Position":
                    self.position(number, proxy, occupancies.get(proxy.id))
            for number, proxy in entities:
                if proxy.schema.name == "Membership":
                    self.membership(number, proxy)
            if self.report.refused:
                transaction.set_rollback(True)
                raise ImportRefused(self.report)
        return self.report
