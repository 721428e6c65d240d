"""Every page of the admin site opens for a superuser."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from liaison.core.choices import Role
from liaison.core.registry import record_models
from tests import factories as f

pytestmark = pytest.mark.django_db

REGISTERED = list(admin.site._registry.items())
SEARCHABLE = [
    (model, model_admin) for model, model_admin in REGISTERED if model_admin.search_fields
]
# The models of which a test creates one object to open its change and history pages.
WITH_OBJECT = [model for model, _ in REGISTERED if model in f.FOR_MODEL]


def _id(model: type[models.Model]) -> str:
    return model._meta.label


def _url(model: type[models.Model], page: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.fixture
def superuser_client(admin_client: Client, admin_user: AbstractUser) -> Client:
    """The superuser, member of the workspace that owns the factories' records.

    Superusers have no bypass of release: the admin shows them what their memberships
    let them see, so they need one (with the vetting officer role, for vetting files).
    """
    f.membership(user=admin_user, workspace=f.owner_workspace(), role=Role.VETTING_OFFICER)
    return admin_client


def test_every_record_model_is_registered_and_has_a_factory() -> None:
    registered = {model for model, _ in REGISTERED}
    for model in record_models():
        assert model in registered, model
        assert model in f.FOR_MODEL, model


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[_id(m) for m, _ in REGISTERED])
def test_changelist_opens(
    superuser_client: Client, model: type[models.Model], model_admin: admin.ModelAdmin[Any]
) -> None:
    obj = f.FOR_MODEL[model]() if model in f.FOR_MODEL else None
    response = superuser_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    if obj is not None:
        assert response.context["cl"].queryset.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[_id(m) for m, _ in REGISTERED])
def test_add_page_opens(
    superuser_client: Client,
    admin_user: AbstractUser,
    model: type[models.Model],
    model_admin: admin.ModelAdmin[Any],
) -> None:
    request = RequestFactory().get("/")
    request.user = admin_user
    # Some third-party logs (axes) may only be read; their add page is refused.
    expected = 200 if model_admin.has_add_permission(request) else 403
    response = superuser_client.get(_url(model, "add"))
    assert response.status_code == expected


@pytest.mark.parametrize("model", WITH_OBJECT, ids=_id)
def test_change_page_opens(superuser_client: Client, model: type[models.Model]) -> None:
    obj = f.FOR_MODEL[model]()
    response = superuser_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize(
    "model",
    [m for m in WITH_OBJECT if isinstance(admin.site._registry[m], SimpleHistoryAdmin)],
    ids=_id,
)
def test_history_page_lists_the_changes(
    superuser_client: Client, model: type[models.Model]
) -> None:
    obj = f.FOR_MODEL[model]()
    response = superuser_client.get(_url(model, "history", obj.pk))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 1


def test_history_is_kept_for_every_record_model() -> None:
    for model in record_models():
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model


@pytest.mark.parametrize(("model", "model_admin"), SEARCHABLE, ids=[_id(m) for m, _ in SEARCHABLE])
def test_search_answers(
    superuser_client: Client, model: type[models.Model], model_admin: admin.ModelAdmin[Any]
) -> None:
    f.FOR_MODEL.get(model, lambda: None)()
    response = superuser_client.get(_url(model, "changelist"), {"q": "x"})
    assert response.status_code == 200
    assert response.context["cl"].query == "x"
