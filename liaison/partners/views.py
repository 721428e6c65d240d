"""Organisation, person and position pages: configuration of the core generic views.

The sections of related records that other apps hold (an organisation's activities and
advisors, a person's assignments, trainings and participations) are added by those apps
(their `sections.py`, registered in core.registry): this app imports none of them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.core.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    RecordView,
    section,
)
from liaison.core.links import Withheld
from liaison.core.ordering import by_name
from liaison.core.querysets import visible
from liaison.partners import filtersets, forms, tables
from liaison.partners.models import Organization, Person, Position


class OrganizationListView(ObjectListView):
    model = Organization
    filterset_class = filtersets.OrganizationFilterSet
    table_class = tables.OrganizationTable
    select_related = ("country", "parent", "owner", "marking")

    def extra_actions(self, request: HttpRequest) -> list[tuple[str, str]]:
        return [(str(_("Tree")), reverse("partners:organization_tree"))]


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


class OrganizationTreeView(RecordView):
    """Every organisation the user sees, indented under its parent, alphabetically, with
    the positions and sub-organisations it holds (counting only what the user sees). One
    whose parent the user may not see stands at the top, its parent unnamed."""

    model = Organization

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        organizations = list(by_name(visible(Organization, user).select_related("country"), "name"))
        # Positions the user may not see are not counted.
        shown_positions = dict(
            visible(Position, user)
            .values_list("organization_id")
            .annotate(n=Count("pk"))
            .values_list("organization_id", "n")
        )
        ids = {o.pk for o in organizations}
        children: dict[int | None, list[Organization]] = {}
        for organization in organizations:
            parent = organization.parent_id if organization.parent_id in ids else None
            children.setdefault(parent, []).append(organization)
        rows: list[dict[str, Any]] = []

        def walk(parent: int | None, depth: int) -> int:
            total = 0
            for organization in children.get(parent, []):
                # Indented by CSS classes (no inline style under the CSP), 8 levels at most.
                row = {"organization": organization, "depth": depth, "indent": min(depth, 8)}
                rows.append(row)
                row["positions"] = shown_positions.get(organization.pk, 0)
                below = walk(organization.pk, depth + 1) if depth < 30 else 0
                row["descendants"] = below
                row["hidden_parent"] = parent is None and organization.parent_id is not None
                total += 1 + below
            return total

        walk(None, 0)
        context = {**self.page_context(request), "rows": rows}
        return render(request, "partners/organization_tree.html", context)


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
