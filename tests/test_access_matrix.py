"""The access matrix: every record model x every role x every release x every channel.

One world is built per module: workspace A owns one record of each model under each
release (private, released by name to B, released by name to C, open); users hold
each role in A or in B, or no membership at all. An oracle written from the rules of
the domain, not from the implementation, says what each user must and must not see,
and each channel is asked. New channels (UI pages, API) add themselves to CHANNELS: the API
answers for every model with an endpoint (its list, following the pages, and its
detail), and for the child records read inside their parent's answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from liaison.api_urls import ENDPOINTS as API_ENDPOINTS
from liaison.api_urls import endpoint_names
from liaison.core import access
from liaison.core.choices import WRITING_ROLES, Release, Role
from liaison.core.models import Citation, Membership, Source, Workspace
from liaison.core.querysets import visible
from liaison.core.registry import child_models, record_models
from liaison.core.search import REGISTRY as search_registry
from liaison.core.search import search as run_search
from liaison.partners.models import Organization
from liaison.vetting.models import VettingBatch, VettingRequest
from tests import factories

# Marked so that pytest-django sets up the test database; each test then runs in a
# savepoint inside the module's transaction, which is rolled back at the end.
pytestmark = pytest.mark.django_db

RELEASES = ["private", "named_to_b", "named_to_c", "open"]
PRINCIPALS = [
    *(f"A:{role}" for role in Role.values),
    *(f"B:{role}" for role in Role.values),
    "nomember",
    "anonymous",
]
MODELS: list[type[models.Model]] = [*record_models(), *child_models(), Citation]


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def is_vetting_file(model: type[models.Model]) -> bool:
    # Vetting files and the batches they are sent in: vetting officers only.
    return access.record_model(model) in (VettingRequest, VettingBatch)


def must_see(principal: str, release: str, model: type[models.Model]) -> bool:
    """The rules of the domain, restated independently of the code under test."""
    if principal == "anonymous":
        return False
    workspace, _, role = principal.partition(":")
    if is_vetting_file(model):
        if role != Role.VETTING_OFFICER:
            return False
        if release == "open":
            return True
    if workspace == "A":
        return True
    if release == "open":
        return True
    return release == "named_to_b" and workspace == "B"


def may_change(principal: str, release: str, model: type[models.Model]) -> bool:
    if not must_see(principal, release, model):
        return False
    workspace, _, role = principal.partition(":")
    if workspace != "A":
        return False
    if is_vetting_file(model):
        return role == Role.VETTING_OFFICER
    return role in WRITING_ROLES


@dataclass
class World:
    users: dict[str, Any]
    records: dict[tuple[type[models.Model], str], models.Model]
    pages: dict[tuple[str, str], str] = field(default_factory=dict)
    api_lists: dict[tuple[str, str], set[int]] = field(default_factory=dict)

    def page(self, principal: str, url: str) -> str:
        """A list page as the principal gets it, fetched once per module."""
        if (principal, url) not in self.pages:
            response = _client(self.users[principal]).get(url)
            ok = response.status_code == 200
            self.pages[principal, url] = response.content.decode() if ok else ""
        return self.pages[principal, url]

    def api_list(self, principal: str, url: str) -> set[int]:
        """The ids of an API list as the principal gets them, every page, once per module."""
        if (principal, url) not in self.api_lists:
            client, ids, next_url = _client(self.users[principal]), set(), url
            while next_url:
                response = client.get(next_url)
                if response.status_code != 200:
                    assert response.status_code == 401, (next_url, response.status_code)
                    break
                ids |= {row["id"] for row in response.json()["results"]}
                next_url = response.json()["next"]
            self.api_lists[principal, url] = ids
        return self.api_lists[principal, url]


def _owned(
    model: type[models.Model], owner: Workspace, release: str, named: Workspace | None
) -> Any:
    obj = factories.FOR_MODEL[model](owner=owner, release=release)
    if named is not None:
        obj.released_to.set([named])  # type: ignore[attr-defined]
    return obj


def _build_world() -> World:
    a, b, c = (factories.workspace(name=f"Mission {x}", slug=f"mission-{x}") for x in "abc")
    users: dict[str, Any] = {"anonymous": AnonymousUser()}
    for principal in PRINCIPALS[:-1]:
        user = factories.user(username=principal.replace(":", "-"), is_staff=True)
        users[principal] = user
        if ":" in principal:
            workspace, role = principal.split(":")
            Membership.objects.create(user=user, workspace=a if workspace == "A" else b, role=role)
    records: dict[tuple[type[models.Model], str], models.Model] = {}
    for release in RELEASES:
        kind = {"private": Release.PRIVATE, "open": Release.OPEN}.get(release, Release.NAMED)
        named = {"named_to_b": b, "named_to_c": c}.get(release)
        for model in record_models():
            records[model, release] = _owned(model, a, kind, named)
        for model in child_models():
            parent_field = model.parent_field  # type: ignore[attr-defined]
            parent_model = model._meta.get_field(parent_field).related_model
            parent = _owned(parent_model, a, kind, named)  # type: ignore[arg-type]
            records[model, release] = factories.FOR_MODEL[model](**{parent_field: parent})
        target = _owned(Organization, a, kind, named)
        source = _owned(Source, a, kind, named)
        records[Citation, release] = factories.citation(record=target, source=source)
    # The records the factories made along the way (a position's person and organisation)
    # are open, so that each channel is asked about the record's own release only (links
    # to hidden records are tested in test_linked_records).
    for model in record_models():
        model._default_manager.filter(owner__slug=factories.FACTORY_WORKSPACE).update(
            release=Release.OPEN
        )
    return World(users, records)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


# --- channels: each answers "does this principal see this record?" ----------------


def _orm(world: World, user: Any, obj: models.Model) -> bool:
    return visible(type(obj), user).filter(pk=obj.pk).exists()


def _can_view(world: World, user: Any, obj: models.Model) -> bool:
    return access.can(user, access.VIEW, obj)


def _client(user: Any) -> Client:
    client = Client()
    if not isinstance(user, AnonymousUser):
        client.force_login(user)
    return client


def _admin_url(obj: models.Model, view: str) -> str | None:
    model = type(obj)
    if model not in admin.site._registry:
        return None
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/{view}/"


def _admin_change(world: World, user: Any, obj: models.Model) -> bool | None:
    url = _admin_url(obj, "change")
    if url is None:
        return None
    response = _client(user).get(url)
    if isinstance(user, AnonymousUser):
        assert response.status_code == 302  # to the login page
        return False
    assert response.status_code in (200, 404), (url, response.status_code)
    if response.status_code == 404:
        assert str(obj) not in response.content.decode()
    return response.status_code == 200


def _admin_history(world: World, user: Any, obj: models.Model) -> bool | None:
    url = _admin_url(obj, "history")
    if url is None or not hasattr(type(obj), "history"):
        return None
    response = _client(user).get(url)
    if isinstance(user, AnonymousUser):
        return False
    assert response.status_code in (200, 404), (url, response.status_code)
    return response.status_code == 200


def _admin_changelist(world: World, user: Any, obj: models.Model) -> bool | None:
    url = _admin_url(obj, "change")
    if url is None:
        return None
    model = type(obj)
    principal = next(p for p, u in world.users.items() if u is user)
    listing = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return url in world.page(principal, listing)


def _nested_in(model: type[models.Model]) -> tuple[str, str] | None:
    """(parent's API route, field) when a child model is read inside its parent's answer."""
    parent_field = getattr(model, "parent_field", "")
    if not parent_field or endpoint_names(model) is not None:
        return None
    relation: Any = model._meta.get_field(parent_field)
    parent_route = endpoint_names(relation.related_model)
    viewset = next((v for _p, v, b in API_ENDPOINTS if f"api:{b}" == parent_route), None)
    detail = getattr(viewset, "detail_serializer_class", None)
    related_name = relation.remote_field.related_name
    if parent_route is None or detail is None or related_name not in detail().fields:
        return None
    return parent_route, related_name


def _api_list(world: World, user: Any, obj: models.Model) -> bool | None:
    route = endpoint_names(type(obj))
    if route is None:
        return None
    principal = next(p for p, u in world.users.items() if u is user)
    return obj.pk in world.api_list(principal, reverse(f"{route}-list"))


def _api_detail(world: World, user: Any, obj: models.Model) -> bool | None:
    route, nested = endpoint_names(type(obj)), _nested_in(type(obj))
    if route is None and nested is None:
        return None
    if route is not None:
        response = _client(user).get(reverse(f"{route}-detail", args=[obj.pk]))
    else:
        assert nested is not None
        parent = getattr(obj, type(obj).parent_field)  # type: ignore[attr-defined]
        response = _client(user).get(reverse(f"{nested[0]}-detail", args=[parent.pk]))
    if isinstance(user, AnonymousUser):
        assert response.status_code == 401
        return False
    assert response.status_code in (200, 404), (type(obj), response.status_code)
    if response.status_code == 404:
        assert str(obj) not in response.content.decode()
        return False
    if nested is not None:
        return obj.pk in [part["id"] for part in response.json()[nested[1]]]
    return True


def _ui_url(model: type[models.Model], suffix: str = "") -> str | None:
    """The URL name of the model's list ("_list") or detail ("") page, if it has one."""
    name = f"{model._meta.app_label}:{model._meta.model_name}{suffix}"
    try:
        reverse(name, args=[] if suffix else [1])
    except NoReverseMatch:
        return None
    return name


def _ui_detail(world: World, user: Any, obj: models.Model) -> bool | None:
    name = _ui_url(type(obj))
    if name is None:
        return None
    url = reverse(name, args=[obj.pk])
    response = _client(user).get(url)
    if isinstance(user, AnonymousUser):
        assert response.status_code == 302  # to the login page
        return False
    assert response.status_code in (200, 404), (url, response.status_code)
    if response.status_code == 404:
        assert str(obj) not in response.content.decode()
    return response.status_code == 200


def _ui_list(world: World, user: Any, obj: models.Model) -> bool | None:
    listing = _ui_url(type(obj), "_list")
    name = _ui_url(type(obj))
    if listing is None or name is None:
        return None
    principal = next(p for p, u in world.users.items() if u is user)
    return f'href="{reverse(name, args=[obj.pk])}"' in world.page(principal, reverse(listing))


def _search(world: World, user: Any, obj: models.Model) -> bool | None:
    if type(obj) not in search_registry:
        return None
    text = search_registry[type(obj)].text_of(obj)
    found = {o for group in run_search(user, text, per_kind=1000) for o in group.results}
    return obj in found


CHANNELS: dict[str, Callable[[World, Any, models.Model], bool | None]] = {
    "orm": _orm,
    "can_view": _can_view,
    "admin_changelist": _admin_changelist,
    "admin_change": _admin_change,
    "admin_history": _admin_history,
    "api_list": _api_list,
    "api_detail": _api_detail,
    "ui_list": _ui_list,
    "ui_detail": _ui_detail,
    "search": _search,
}


def _applies(model: type[models.Model], channel: str) -> bool:
    if channel.startswith("admin"):
        return model in admin.site._registry and (
            channel != "admin_history" or hasattr(model, "history")
        )
    if channel in ("ui_list", "ui_detail"):
        suffix = "_list" if channel == "ui_list" else ""
        return _ui_url(model, suffix) is not None and _ui_url(model) is not None
    if channel == "search":
        return model in search_registry
    if channel == "api_list":
        return endpoint_names(model) is not None
    if channel == "api_detail":
        return endpoint_names(model) is not None or _nested_in(model) is not None
    return True


CASES = [
    pytest.param(model, principal, channel, id=f"{_label(model)}-{principal}-{channel}")
    for model in MODELS
    for principal in PRINCIPALS
    for channel in CHANNELS
    if _applies(model, channel)
]


@pytest.mark.parametrize(("model", "principal", "channel"), CASES)
def test_sees_exactly_what_is_released(
    world: World, django_db_blocker: Any, model: type[models.Model], principal: str, channel: str
) -> None:
    user = world.users[principal]
    with django_db_blocker.unblock():
        for release in RELEASES:
            obj = world.records[model, release]
            seen = CHANNELS[channel](world, user, obj)
            assert seen == must_see(principal, release, model), (
                f"{principal} {'must' if must_see(principal, release, model) else 'must not'} "
                f"see a {release} {_label(model)} through {channel}"
            )


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("model", [m for m in MODELS if m is not Citation], ids=_label)
def test_changes_only_where_the_role_allows(
    world: World, django_db_blocker: Any, model: type[models.Model], principal: str
) -> None:
    user = world.users[principal]
    with django_db_blocker.unblock():
        for release in RELEASES:
            obj = world.records[model, release]
            assert access.can(user, access.CHANGE, obj) == may_change(principal, release, model)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_vetting_clearance_is_known_without_the_file(
    world: World, django_db_blocker: Any, principal: str
) -> None:
    """Field level: others learn whether a subject is cleared and until when, not why."""
    user = world.users[principal]
    with django_db_blocker.unblock():
        clearances = list(VettingRequest.objects.clearances_for(user))
        for row in clearances:
            assert set(row) == {
                "pk",
                "subject_person_id",
                "subject_organization_id",
                "status",
                "valid_until",
            }
        seen = {row["pk"] for row in clearances}
        for release in RELEASES:
            obj = world.records[VettingRequest, release]
            # The clearance follows the release, whatever the role.
            assert (obj.pk in seen) == must_see(principal, release, Workspace)


def test_the_matrix_covers_every_model_and_channel() -> None:
    cases = len(CASES) * len(RELEASES)
    print(f"access matrix: {cases} visibility cases over {len(CHANNELS)} channels")
    assert {model for model, *_ in (c.values for c in CASES)} == set(MODELS)
    assert {channel for *_, channel in (c.values for c in CASES)} == set(CHANNELS)
    assert cases > 2000


# --- vetting files at field level --------------------------------------------------------


def _vetting_channels(obj: VettingRequest) -> list[str]:
    """Every place a vetting request's fields could surface."""
    subject = str(obj.subject_person or obj.subject_organization)
    return [
        reverse("vetting:vettingrequest_list"),
        reverse("vetting:vettingrequest_list") + "?export=csv",
        reverse("vetting:vettingrequest", args=[obj.pk]),
        reverse("vetting:vettingrequest_edit", args=[obj.pk]),
        reverse("vetting:queue"),
        reverse("vetting:report"),
        f"/api/vetting-requests/{obj.pk}/",
        "/api/vetting-requests/",
        "/api/clearances/",
        "/search/?q=" + subject,
        reverse("admin:vetting_vettingrequest_change", args=[obj.pk]),
        reverse("admin:vetting_vettingrequest_history", args=[obj.pk]),
    ]


@pytest.mark.parametrize("principal", PRINCIPALS[:-1])
def test_vetting_file_fields_stay_with_officers(
    world: World, django_db_blocker: Any, principal: str
) -> None:
    """Field level: the reasons, the evidence and who decided surface in no page, export,
    API answer, search or admin page for anyone but a vetting officer the file is
    released to; the clearance (status, valid until) follows the release."""
    user = world.users[principal]
    with django_db_blocker.unblock():
        decider = factories.user(username="decideur-confidentiel")
        secrets: dict[str, list[str]] = {}
        for release in RELEASES:
            obj = world.records[VettingRequest, release]
            reason, evidence = f"MOTIF-{release}-X", f"PREUVE-{release}-X"
            VettingRequest.objects.filter(pk=obj.pk).update(
                status="in_review", decision_reason=reason, evidence=evidence, decided_by=decider
            )
            secrets[release] = [reason, evidence]
        client = _client(user)
        texts = []
        for release in RELEASES:
            for url in _vetting_channels(world.records[VettingRequest, release]):
                response: Any = client.get(url)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                texts.append(body.decode(errors="replace"))
        seen = "\n".join(texts)
        for release in RELEASES:
            expected = must_see(principal, release, VettingRequest)
            for secret in secrets[release]:
                assert (secret in seen) == expected, (principal, release, secret)
        officer_sees_any = any(must_see(principal, r, VettingRequest) for r in RELEASES)
        assert ("decideur-confidentiel" in seen) == officer_sees_any
