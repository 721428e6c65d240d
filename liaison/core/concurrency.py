"""Optimistic concurrency: a save from an outdated copy is refused, never silently applied."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _


class StaleVersion(Exception):
    """The record changed since the copy being saved was read."""

    def __init__(self, current: models.Model) -> None:
        self.current = current
        who = getattr(current, "updated_by", None)
        when = getattr(current, "updated_at", None)
        super().__init__(
            _(
                "This record was changed by %(who)s on %(when)s after you opened it. "
                "Nothing was saved: reload the page to see their changes."
            )
            % {"who": who or _("someone"), "when": when.strftime("%Y-%m-%d %H:%M") if when else "?"}
        )


def lock_current_version(instance: models.Model, expected_version: int | None) -> None:
    """Lock the stored row and check that it is still at `expected_version`.

    Call inside `transaction.atomic()` just before saving: the row lock (PostgreSQL) or
    the immediate write transaction (SQLite) keeps a second writer out until commit.
    """
    if instance.pk is None or expected_version is None:
        return
    model: Any = type(instance)
    current = model._default_manager.select_for_update().filter(pk=instance.pk).first()
    if current is None:
        return
    if current.version != expected_version:
        raise StaleVersion(current)


def save_if_current(instance: models.Model, expected_version: int | None) -> None:
    """Save `instance` only if nobody else saved it since `expected_version`."""
    with transaction.atomic():
        lock_current_version(instance, expected_version)
        instance.save()
