"""Organisation, person and position pages: configuration of the core generic views.

The sections of related records that other apps hold (an organisation's activities and
advisors, a person's assignments, trainings and participations) are added by those apps
(their `sections.py`, registered in core.registry): this app imports none of them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.core.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    section,
)
from liaison.core.links import Withheld
from liaison.core.querysets import visible
from liaison.partners import filtersets, forms, tables
from liaison.partners.models import Organization, Person, Position


class OrganizationListView(ObjectListView):
    model = Organization
    filterset_class = filtersets.OrganizationFilterSet
    table_class = tables.OrganizationTable
    select_related = ("country", "parent", "owner", "marking")


def shown_ancestors(organization: Organization, user: Any, depth: int = 20) -> list[Any]:
    """The organisation's place in the tree, from the root down to its parent: the
    ancestors the user sees, and `Withheld` for those the user may not see (one query a
    level, and one for what the user sees)."""
    chain: list[int] = []
    parent_id = organization.parent_id
    while parent_id is not None and parent_id not in chain and len(chain) < depth:
        chain.append(parent_id)
        above = Organization.objects.filter(pk=parent_id).values_list("parent_id", flat=True)
        parent_id = above.first()
    shown = {o.pk: o for o in visible(Organization, user).filter(pk__in=chain)}
    return [shown.get(pk) or Withheld(pk) for pk in reversed(chain)]


class OrganizationDetailView(ObjectDetailView):
    model = Organization
    template_name = "partners/organization_detail.html"

    def extra_context(self, request: HttpRequest, obj: Organization) -> dict[str, Any]:
        return {"ancestors": shown_ancestors(obj, request.user)}

    def related(self, request: HttpRequest, obj: Organization) -> list[dict[str, Any]]:
        user = request.user
        positions = (
            visible(Position, user)
            .filter(organization=obj)
            .select_related("person", "organization")
        )
        return [
            section(_("sub-organisations"), visible(Organization, user).filter(parent=obj)),
            section(_("positions"), positions),
        ]


class OrganizationEditView(ObjectEditView):
    model = Organization
    form_class = forms.OrganizationForm


class OrganizationDeleteView(ObjectDeleteView):
    model = Organization


class PersonListView(ObjectListView):
    model = Person
    filterset_class = filtersets.PersonFilterSet
    table_class = tables.PersonTable
    select_related = ("nationality", "owner", "marking")


class PersonDetailView(ObjectDetailView):
    model = Person
    template_name = "partners/person_detail.html"

    def related(self, request: HttpRequest, obj: Person) -> list[dict[str, Any]]:
        user = request.user
        return [
            section(
                _("positions"),
                visible(Position, user)
                .filter(person=obj)
                .select_related("person", "organization")
                .order_by("-start_date"),
            ),
        ]


class PersonEditView(ObjectEditView):
    model = Person
    form_class = forms.PersonForm


class PersonDeleteView(ObjectDeleteView):
    model = Person


class PositionListView(ObjectListView):
    model = Position
    filterset_class = filtersets.PositionFilterSet
    table_class = tables.PositionTable
    select_related = ("person", "organization", "owner", "marking")


class PositionDetailView(ObjectDetailView):
    model = Position


class PositionEditView(ObjectEditView):
    model = Position
    form_class = forms.PositionForm


class PositionDeleteView(ObjectDeleteView):
    model = Position
