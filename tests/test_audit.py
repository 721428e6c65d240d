"""The audit trail: who, when, from where, before and after, chained by hash."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from liaison.core import audit
from liaison.core.choices import Role
from liaison.core.context import acting_as
from liaison.core.models import AuditHead, AuditLink, Membership, Workspace
from liaison.partners.models import Organization
from liaison.reports.dashboard import recent_changes


@pytest.fixture
def changed_records(db: None) -> Organization:
    user = get_user_model().objects.create_user("auditor")
    with acting_as(user, ip_address="203.0.113.7", channel="web"):
        workspace = Workspace.objects.create(name="Mission", slug="mission")
        org = Organization.objects.create(owner=workspace, name_fr="Garde nationale")
        org.name_en = "National Guard"
        org.save()
        other = Organization.objects.create(owner=workspace, name_fr="Armée de l'air")
        other.delete()
    return org


def test_each_change_is_recorded_with_who_when_where_and_before_after(
    changed_records: Organization,
) -> None:
    rows = list(changed_records.history.order_by("history_date"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert {r.history_user.username for r in rows} == {"auditor"}
    assert {r.ip_address for r in rows} == {"203.0.113.7"}
    delta = rows[1].diff_against(rows[0])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name_en", "", "National Guard")]
    deleted = Organization.history.filter(name_fr="Armée de l'air", history_type="-")
    assert deleted.count() == 1


def test_chain_is_intact_after_ordinary_changes(changed_records: Organization) -> None:
    checked, broken = audit.verify()
    assert broken is None
    assert checked == AuditLink.objects.count() >= 5
    call_command("audit", "verify")


def test_verify_finds_a_history_row_changed_by_hand(changed_records: Organization) -> None:
    first_change = changed_records.history.order_by("history_date")[1]
    Organization.history.filter(history_id=first_change.history_id).update(name_en="Something else")
    link = AuditLink.objects.get(history_id=first_change.history_id)
    checked, broken = audit.verify()
    assert broken is not None
    assert broken.sequence == link.sequence
    assert broken.history_id == first_change.history_id
    assert checked == link.sequence - 1
    with translation.override("en"), pytest.raises(CommandError, match=f"link {link.sequence} "):
        call_command("audit", "verify")


def test_verify_finds_a_deleted_history_row(changed_records: Organization) -> None:
    row = changed_records.history.earliest("history_date")
    link = AuditLink.objects.get(history_id=row.history_id, history_type__model__contains="org")
    Organization.history.filter(history_id=row.history_id).delete()
    _, broken = audit.verify()
    assert broken is not None
    assert broken.sequence == link.sequence


def test_verify_finds_removed_links_at_the_end(changed_records: Organization) -> None:
    AuditLink.objects.order_by("-sequence").first().delete()  # type: ignore[union-attr]
    _, broken = audit.verify()
    assert broken is not None


def forge(org: Organization, **changes: object) -> int:
    """A history row INSERTed by hand (not through Liaison: no audit link), as a forger
    with access to the database would; returns its history_id."""
    values = org.history.order_by("-history_date").values().first()
    assert values is not None
    values.pop("history_id")
    values.update(changes)
    return int(Organization.history.model.objects.create(**values).history_id)


def test_verify_finds_an_inserted_history_row(changed_records: Organization) -> None:
    links = AuditLink.objects.count()
    forged = forge(changed_records, name_en="Forged change", history_type="~")
    checked, broken = audit.verify()
    assert broken is not None
    assert broken.history_id == forged
    assert broken.table == Organization.history.model._meta.db_table
    assert checked == links
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=rf"{broken.table}, row {forged}\).*not in the chain"),
    ):
        call_command("audit", "verify")


def test_verify_finds_a_row_whose_link_was_removed_with_the_head_rewound(
    changed_records: Organization,
) -> None:
    """The last link removed and the head moved back to the one before: the chain alone
    is consistent, but the history row it linked is no longer in it."""
    last = AuditLink.objects.order_by("-sequence").first()
    assert last is not None
    last.delete()
    AuditHead.objects.filter(pk=1).update(length=last.sequence - 1, last_hash=last.previous_hash)
    checked, broken = audit.verify()
    assert broken is not None
    assert broken.history_id == last.history_id
    assert checked == last.sequence - 1


def test_history_pages_show_only_chained_rows(
    changed_records: Organization, client: Client, admin_client: Client, admin_user: Any
) -> None:
    user = get_user_model().objects.get(username="auditor")
    Membership.objects.create(user=user, workspace=changed_records.owner, role=Role.VIEWER)
    client.force_login(user)
    url = f"/organizations/{changed_records.pk}/"
    with CaptureQueriesContext(connection) as before:
        page = client.get(url)
    assert page.status_code == 200
    assert "National Guard" in page.content.decode()
    shown = len(page.context["history"])
    forge(changed_records, name_en="Forged change", history_type="~")
    forge(changed_records, name_en="Second forgery", history_type="~")
    with CaptureQueriesContext(connection) as after:
        page = client.get(url)
    body = page.content.decode()
    assert "Forged change" not in body
    assert "Second forgery" not in body
    assert len(page.context["history"]) == shown
    assert len(after.captured_queries) == len(before.captured_queries)
    # Nor on the dashboard's recent changes, nor in the admin's history.
    assert not {"Forged change", "Second forgery"} & {
        getattr(row.record, "name_en", None) for row in recent_changes(user)
    }
    Membership.objects.create(user=admin_user, workspace=changed_records.owner, role=Role.VIEWER)
    listed = admin_client.get(f"/admin/partners/organization/{changed_records.pk}/history/")
    assert listed.status_code == 200
    names = {row.name_en for row in listed.context["page_obj"].object_list}
    assert "National Guard" in names
    assert not {"Forged change", "Second forgery"} & names
    # More chained rows, the same number of queries.
    with acting_as(user, channel="web"):
        for n in range(5):
            changed_records.name_en = f"Guard {n}"
            changed_records.save()
    with CaptureQueriesContext(connection) as more:
        page = client.get(url)
    assert len(page.context["history"]) == shown + 5
    assert len(more.captured_queries) == len(before.captured_queries)
