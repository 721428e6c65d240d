"""The audit trail: who, when, from where, before and after, chained by hash."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from liaison.core import audit
from liaison.core.context import acting_as
from liaison.core.models import AuditLink, Workspace
from liaison.partners.models import Organization


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
