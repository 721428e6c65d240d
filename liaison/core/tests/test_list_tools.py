"""Lists like NetBox's (issue 21): bulk edit and delete of ticked records, per-user
columns and page size, active filters as chips, cloning, the organisation tree and the
change log; each within what the user may see and do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from liaison.activities.models import Activity
from liaison.core.choices import Release, Role
from liaison.core.models import AuditLink, Preference
from liaison.core.tests.pages import client_for, member, outsider
from liaison.partners.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

BULK_EDIT = "/activities/bulk-edit/"


def english(user: Any) -> Client:
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _post(client: Client, url: str, pks: list[int], **data: Any) -> Any:
    return client.post(url, {"pk": [str(pk) for pk in pks], **data})


def _confirm(client: Client, pks: list[int], **fields: Any) -> Any:
    """The form, then the confirmation page; returns the confirmation page."""
    assert _post(client, BULK_EDIT, pks).status_code == 200
    return _post(client, BULK_EDIT, pks, step="preview", **fields)


def _apply(client: Client, page: Any, pks: list[int], **fields: Any) -> Any:
    versions = {
        f"version_{row['record'].pk}": row["record"].version for row in page.context["rows"]
    }
    return _post(client, BULK_EDIT, pks, step="apply", **versions, **fields)


def test_bulk_edit_lists_the_changes_then_writes_them_with_history() -> None:
    editor = member(Role.EDITOR)
    first = factories.activity(title="Alpha", status="pipeline")
    second = factories.activity(title="Bravo", status="implementation")
    client = english(editor)
    pks = [first.pk, second.pk]
    page = _confirm(client, pks, status="closed")
    assert page.status_code == 200, page.context["form"].errors
    assert "Confirm the change of 2 records" in page.content.decode()
    changes = {row["record"].title: row["changes"] for row in page.context["rows"]}
    # Only the field set changes: release, left empty, keeps each record's own.
    assert [str(c[0]) for c in changes["Alpha"]] == ["status"]
    assert "selected>(unchanged)" in _post(client, BULK_EDIT, pks).content.decode()
    # Nothing is written before the confirmation.
    assert set(Activity.objects.values_list("status", flat=True)) == {"pipeline", "implementation"}
    links = AuditLink.objects.count()
    answer = _apply(client, page, pks, status="closed")
    assert answer.status_code == 302
    assert answer["Location"] == "/activities/"
    for activity in Activity.objects.filter(pk__in=pks):
        assert activity.status == "closed"
        assert activity.version == 2
        assert activity.updated_by == editor
        latest = activity.history.latest("history_date")
        assert latest.history_type == "~"
        assert latest.history_user == editor
    assert AuditLink.objects.count() == links + 2


def test_bulk_edit_keeps_the_rules_and_changes_nothing_when_one_breaks() -> None:
    client = english(member(Role.EDITOR))
    ok = factories.activity(planned_start=dt.date(2025, 1, 1))
    late = factories.activity(planned_start=dt.date(2026, 6, 1))
    pks = [ok.pk, late.pk]
    page = _confirm(client, pks, planned_end="2026-01-01")
    assert page.status_code == 400
    assert page.context["rows"] is None
    assert page.context["form"].non_field_errors()
    assert Activity.objects.filter(planned_end__isnull=False).count() == 0
    # Nothing asked: said so.
    empty = _confirm(client, pks)
    assert empty.status_code == 400
    assert "Choose at least one field to change." in empty.content.decode()


def test_bulk_edit_refuses_a_record_changed_meanwhile() -> None:
    client = english(member(Role.EDITOR))
    first, second = factories.activity(), factories.activity()
    pks = [first.pk, second.pk]
    page = _confirm(client, pks, status="closed")
    second.title = "Changed elsewhere"
    second.save()
    answer = _apply(client, page, pks, status="closed")
    assert answer.status_code == 409
    assert "changed by someone else" in answer.content.decode()
    assert not Activity.objects.filter(status="closed").exists()


def test_bulk_actions_need_the_rights_of_one_record() -> None:
    mine = factories.activity()
    hidden = factories.activity(owner=factories.workspace())  # private elsewhere
    viewer = english(member(Role.VIEWER))
    assert _post(viewer, BULK_EDIT, [mine.pk]).status_code == 403
    editor = english(member(Role.EDITOR))
    # A record the user may not see answers as if it did not exist, and nothing changes.
    assert _post(editor, BULK_EDIT, [mine.pk, hidden.pk]).status_code == 404
    # Seen but not theirs to change: refused.
    open_elsewhere = factories.activity(owner=factories.workspace(), release=Release.OPEN)
    answer = _post(editor, BULK_EDIT, [mine.pk, open_elsewhere.pk], step="preview", status="closed")
    assert answer.status_code == 403
    # Deleting takes a manager, as for one record.
    assert _post(editor, "/activities/bulk-delete/", [mine.pk]).status_code == 403
    assert not Activity.objects.filter(status="closed").exists()
    # The list offers only the actions the user may take.
    page = editor.get("/activities/")
    assert set(page.context["bulk"]) == {"edit"}
    assert set(viewer.get("/activities/").context["bulk"]) == set()


def test_bulk_delete_confirms_then_deletes_all_with_history() -> None:
    manager = english(member(Role.MANAGER))
    doomed = [factories.organization(name_fr="Un"), factories.organization(name_fr="Deux")]
    kept = factories.organization(name_fr="Trois")
    pks = [o.pk for o in doomed]
    page = _post(manager, "/organizations/bulk-delete/", pks)
    assert page.status_code == 200
    assert [str(r) for r in page.context["records"]] == ["Un", "Deux"]
    assert Organization.objects.count() == 3
    answer = _post(manager, "/organizations/bulk-delete/", pks, step="apply", return_query="q=x")
    assert answer["Location"] == "/organizations/?q=x"
    assert list(Organization.objects.all()) == [kept]
    assert Organization.history.filter(history_type="-").count() == 2


def test_bulk_delete_keeps_every_record_when_one_is_still_used() -> None:
    manager = english(member(Role.MANAGER))
    parent = factories.organization()
    factories.organization(parent=parent)  # protects its parent
    free = factories.organization()
    _post(manager, "/organizations/bulk-delete/", [parent.pk, free.pk], step="apply")
    assert Organization.objects.filter(pk__in=[parent.pk, free.pk]).count() == 2


def test_columns_order_and_page_size_persist_for_the_user() -> None:
    user = member(Role.VIEWER)
    client = english(user)
    for _i in range(30):
        factories.organization()
    answer = client.post(
        "/list-settings/",
        {
            "model": "partners.organization",
            "columns": ["kind", "name", "nope"],
            "per_page": "25",
            "next": "/organizations/",
        },
    )
    assert answer["Location"] == "/organizations/"
    page = client.get("/organizations/")
    assert [c.name for c in page.context["table"].columns] == ["kind", "name"]
    assert len(page.context["table"].page.object_list) == 25
    # Another user keeps the defaults; a reset forgets the choice.
    other = english(member(Role.VIEWER)).get("/organizations/")
    assert [c.name for c in other.context["table"].columns][:2] == ["name", "acronym"]
    client.post("/list-settings/", {"model": "partners.organization", "reset": "1"})
    assert Preference.objects.get(user=user).lists == {}
    assert client.post("/list-settings/", {"model": "nothing.here"}).status_code == 400
    assert (
        client.post(
            "/list-settings/", {"model": "partners.organization", "next": "https://evil.example/"}
        )["Location"]
        == "/"
    )


def test_active_filters_show_as_chips_that_remove_themselves() -> None:
    client = english(member(Role.VIEWER))
    mali = factories.country("ML")
    hidden = factories.organization(name_fr="Service secret", owner=factories.workspace())
    page = client.get(
        "/organizations/",
        {"kind": "school", "country": str(mali.pk), "parent": str(hidden.pk), "page": "1"},
    )
    chips = {(c["label"], c["value"]): c["query"] for c in page.context["chips"]}
    assert set(chips) == {
        ("Kind", "School"),
        ("Country", str(mali)),
        ("Parent organisation", str(hidden.pk)),
    }
    # Each chip's link drops that value (and the page), keeping the others.
    assert chips[("Kind", "School")] == f"country={mali.pk}&parent={hidden.pk}"
    assert "Service secret" not in page.content.decode()
    assert 'class="chip-remove"' in page.content.decode()
    assert client.get("/organizations/").context["chips"] == []


def test_clone_prefills_the_add_form_from_a_record_the_user_sees() -> None:
    client = english(member(Role.EDITOR))
    source = factories.activity(title="Formation", external_id="X-1", status="implementation")
    form = client.get("/activities/add/", {"clone": source.pk}).context["form"]
    assert form.initial["title"] == "Formation"
    assert form.initial["status"] == "implementation"
    assert not form.initial.get("external_id")
    hidden = factories.activity(owner=factories.workspace())
    assert client.get("/activities/add/", {"clone": hidden.pk}).status_code == 404
    assert (
        f"/activities/add/?clone={source.pk}"
        in client.get(source.get_absolute_url()).content.decode()
    )


def test_organisation_tree_indents_and_counts_only_what_the_user_sees() -> None:
    client = english(member(Role.VIEWER))
    root = factories.organization(name_fr="Armée")
    child = factories.organization(name_fr="Brigade", parent=root)
    factories.organization(name_fr="Compagnie", parent=child)
    factories.organization(name_fr="Cachée", parent=root, owner=factories.workspace())
    factories.position(organization=child)
    factories.position(organization=child, owner=factories.workspace())  # not seen
    page = client.get("/organizations/tree/")
    rows = [
        (str(r["organization"]), r["depth"], r["descendants"], r["positions"])
        for r in page.context["rows"]
    ]
    assert rows[:3] == [("Armée", 0, 2, 0), ("Brigade", 1, 1, 1), ("Compagnie", 2, 0, 0)]
    assert "Cachée" not in page.content.decode()


def test_change_log_shows_only_changes_to_records_the_user_sees() -> None:
    editor = member(Role.EDITOR)
    seen = factories.organization(name_fr="Visible")
    seen.name_fr = "Visible renommée"
    seen.save()
    factories.organization(name_fr="Invisible", owner=factories.workspace())
    factories.activity(title="Action vue")
    client = english(editor)
    page = client.get("/changes/")
    body = page.content.decode()
    assert "Visible renommée" in body
    assert "Action vue" in body
    assert "Invisible" not in body
    kinds = {(e["record"].pk, e["row"].history_type) for e in page.context["entries"]}
    assert {(seen.pk, "~"), (seen.pk, "+")} <= kinds
    only_orgs = client.get("/changes/", {"kind": "partners.organization", "change": "~"})
    assert [(e["record"].pk, e["row"].history_type) for e in only_orgs.context["entries"]] == [
        (seen.pk, "~")
    ]
    assert client.get("/changes/", {"user": "nobody-at-all"}).context["entries"] == []
    assert english(outsider()).get("/changes/").context["entries"] == []
