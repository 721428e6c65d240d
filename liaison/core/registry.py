"""The record kinds of Liaison, in the order a user thinks of them."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from liaison.core.models import ChildModel, OwnedModel


def record_models() -> list[type[models.Model]]:
    """Every concrete model that carries owner and release (OwnedModel)."""
    return [
        m
        for m in apps.get_models()
        if issubclass(m, OwnedModel) and not m._meta.abstract and m.__module__.startswith("liaison")
    ]


def child_models() -> list[type[models.Model]]:
    """Every concrete model that follows its parent's release (ChildModel)."""
    return [m for m in apps.get_models() if issubclass(m, ChildModel) and not m._meta.abstract]
