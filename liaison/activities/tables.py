"""List columns of agreements, activities, requests and assignments.

Linked records come prefetched by the list views (see `queries`), already restricted to
what the user may see: a column never shows a record outside its release.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from liaison.activities.choices import ParticipationRole
from liaison.activities.models import Activity, Agreement, Assignment, Request
from liaison.activities.queries import DONOR_ROLES, waiting_days
from liaison.core.tables import AlphabeticalColumn, RecordTable


class LinksColumn(tables.Column):
    """Several records computed from the row: links on the page, plain text in exports."""

    def __init__(
        self, items: Callable[[Any], Iterable[Any]], *, link: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(accessor="pk", orderable=False, empty_values=(), **kwargs)
        self.items = items
        self.as_links = link

    def render(self, record: Any) -> Any:
        objects = list(self.items(record))
        if not objects:
            return "—"
        if not self.as_links:
            return ", ".join(str(o) for o in objects)
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((o.get_absolute_url(), o) for o in objects)
        )

    def value(self, record: Any) -> str:
        return ", ".join(str(o) for o in self.items(record))


def _organizations(*roles: str) -> Callable[[Activity], list[Any]]:
    def items(activity: Activity) -> list[Any]:
        seen: dict[int, Any] = {}
        for participation in getattr(activity, "shown_participations", []):
            if participation.role in roles:
                seen.setdefault(participation.organization_id, participation.organization)
        return list(seen.values())

    return items


def _countries(activity: Activity) -> list[Any]:
    seen: dict[int, Any] = {}
    for place in getattr(activity, "shown_places", []):
        seen.setdefault(place.country_id, place.country)
    return list(seen.values())


def _date(label: Any) -> tables.DateColumn:
    return tables.DateColumn(verbose_name=label, format="SHORT_DATE_FORMAT")


class ActivityTable(RecordTable):
    title = tables.Column(verbose_name=_("title"), linkify=True)
    activity_type = tables.Column(verbose_name=_("type"))
    status = tables.Column(verbose_name=_("status"))
    donors = LinksColumn(_organizations(*DONOR_ROLES), verbose_name=_("donors"))
    implementing = LinksColumn(
        _organizations(ParticipationRole.IMPLEMENTING), verbose_name=_("implementing")
    )
    beneficiaries = LinksColumn(
        _organizations(ParticipationRole.BENEFICIARY), verbose_name=_("beneficiaries")
    )
    countries = LinksColumn(_countries, link=False, verbose_name=_("countries"))
    agreement = tables.Column(
        verbose_name=_("agreement"), linkify=True, order_by=("agreement__title",)
    )
    parent = tables.Column(
        verbose_name=_("parent programme"), linkify=True, order_by=("parent__title",)
    )
    planned_start = _date(_("planned start"))
    planned_end = _date(_("planned end"))
    actual_start = _date(_("actual start"))
    actual_end = _date(_("actual end"))
    iati_identifier = tables.Column(verbose_name=_("IATI identifier"))
    external_id = tables.Column(verbose_name=_("external identifier"))

    class Meta(RecordTable.Meta):
        model = Activity
        fields = (
            "title", "activity_type", "status", "agreement", "parent", "planned_start",
            "planned_end", "actual_start", "actual_end", "iati_identifier", "external_id",
        )  # fmt: skip
        sequence = (
            "title", "activity_type", "status", "donors", "implementing", "beneficiaries",
            "countries", "agreement", "parent", "planned_start", "planned_end", "actual_start",
            "actual_end", "...",
        )  # fmt: skip

    default_columns = (
        "title", "activity_type", "status", "donors", "beneficiaries", "countries",
        "planned_start", "planned_end",
    )  # fmt: skip
    bulk_fields = (
        "status", "marking", "release", "planned_start", "planned_end", "actual_start",
        "actual_end",
    )  # fmt: skip


class AgreementTable(RecordTable):
    title = tables.Column(verbose_name=_("title"), linkify=True)
    reference = tables.Column(verbose_name=_("reference"))
    parties = LinksColumn(lambda a: getattr(a, "shown_parties", []), verbose_name=_("parties"))
    signed_on = _date(_("signature date"))
    valid_from = _date(_("valid from"))
    valid_until = _date(_("valid until"))

    class Meta(RecordTable.Meta):
        model = Agreement
        fields = ("title", "reference", "signed_on", "valid_from", "valid_until")
        sequence = (
            "title",
            "reference",
            "parties",
            "signed_on",
            "valid_from",
            "valid_until",
            "...",
        )

    default_columns = ("title", "reference", "parties", "signed_on", "valid_until")


class RequestTable(RecordTable):
    title = tables.Column(verbose_name=_("title"), linkify=True)
    requester = AlphabeticalColumn(
        path="requester__name",
        verbose_name=_("requesting organisation"),
        linkify=True,
        order_by=("requester__name_fr", "requester__name_en"),
    )
    received_on = _date(_("date received"))
    due_on = _date(_("answer due by"))
    urgency = tables.Column(verbose_name=_("urgency"))
    status = tables.Column(verbose_name=_("status"))
    answered_by = LinksColumn(
        lambda r: getattr(r, "shown_answers", []), verbose_name=_("answered by")
    )
    age = tables.Column(
        verbose_name=_("age (days)"),
        accessor="pk",
        empty_values=(),
        order_by=("-received_on",),
        attrs={"td": {"class": "num"}},
    )

    class Meta(RecordTable.Meta):
        model = Request
        fields = ("title", "requester", "received_on", "due_on", "urgency", "status")
        sequence = (
            "title", "requester", "received_on", "due_on", "urgency", "status", "answered_by",
            "age", "...",
        )  # fmt: skip

    default_columns = (
        "title", "requester", "received_on", "urgency", "status", "answered_by", "age",
    )  # fmt: skip

    def render_age(self, record: Request) -> Any:
        days = waiting_days(record, getattr(record, "shown_answers", []))
        return "—" if days is None else days

    def value_age(self, record: Request) -> Any:
        return waiting_days(record, getattr(record, "shown_answers", []))


class AssignmentTable(RecordTable):
    person = tables.Column(verbose_name=_("person"), linkify=True, order_by=("person__full_name",))
    role = tables.Column(verbose_name=_("role"), linkify=lambda record: record.get_absolute_url())
    organization = AlphabeticalColumn(
        path="organization__name",
        verbose_name=_("host organisation"),
        linkify=True,
        order_by=("organization__name_fr", "organization__name_en"),
    )
    sending_organization = tables.Column(
        verbose_name=_("sending organisation"),
        linkify=True,
        order_by=("sending_organization__name_fr", "sending_organization__name_en"),
    )
    activity = tables.Column(
        verbose_name=_("activity"), linkify=True, order_by=("activity__title",)
    )
    start_date = _date(_("start date"))
    end_date = _date(_("end date"))

    class Meta(RecordTable.Meta):
        model = Assignment
        fields = (
            "person", "role", "organization", "sending_organization", "activity", "start_date",
            "end_date",
        )  # fmt: skip
        sequence = (
            "person", "role", "organization", "sending_organization", "activity", "start_date",
            "end_date", "...",
        )  # fmt: skip

    default_columns = ("person", "role", "organization", "activity", "start_date", "end_date")
