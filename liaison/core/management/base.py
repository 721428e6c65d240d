"""Shared helpers of Liaison's management commands."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from liaison.core.models import Workspace


class LiaisonCommand(BaseCommand):
    """A command whose subcommands are methods named `handle_<action>`."""

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.pop("action")
        getattr(self, f"handle_{action}")(**options)


def active_user(username: str) -> Any:
    user = get_user_model()._default_manager.filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(_("No active user named %(name)s.") % {"name": username})
    return user


def find_workspace(name_or_slug: str) -> Workspace:
    workspace = (
        Workspace.objects.filter(slug=name_or_slug).first()
        or Workspace.objects.filter(name=name_or_slug).first()
    )
    if workspace is None:
        raise CommandError(_("No workspace named %(name)s.") % {"name": name_or_slug})
    return workspace


def read_password_from_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError(_("No password was given on standard input."))
    return password
