"""`liaison demo`: load the demo data (see liaison.demo) and say how to log in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.demo.example import EXAMPLE_NAME, EXAMPLE_SLUG, load_example
from liaison.demo.loader import DemoDataError, load_demo


class Command(BaseCommand):
    help = (
        "Create or refresh the demo data built from the two sample documents, and the demo "
        "admin user, and the example workspace of fictitious data. Running it again changes "
        "nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-example",
            action="store_true",
            help="Leave out the example workspace of fictitious (synthetic) data.",
        )

    def handle(self, *args: Any, no_example: bool = False, **options: Any) -> None:
        try:
            result = load_demo()
        except DemoDataError as error:
            raise CommandError(
                _("The demo data could not be loaded: %(error)s") % {"error": error}
            ) from error
        if not no_example:
            example = load_example()
            if example.created:
                self.stdout.write(
                    _("Example workspace “%(name)s” created: %(rows)s rows in %(seconds).1f s.")
                    % {"name": EXAMPLE_NAME, "rows": example.rows, "seconds": example.seconds}
                )
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        self.stdout.write("")
        model_heading, count_heading = _("Model"), _("Rows")
        width = max(len(model_heading), *(len(label) for label, _count in result.counts))
        self.stdout.write(f"{model_heading:<{width}}  {count_heading:>6}")
        self.stdout.write(f"{'-' * width}  {'-' * 6}")
        for label, count in result.counts:
            self.stdout.write(f"{label:<{width}}  {count:>6}")
        self.stdout.write("")
        self.stdout.write(_("Log in at %(url)s") % {"url": result.login_url})
        self.stdout.write(_("  user:     %(username)s") % {"username": result.username})
        self.stdout.write(_("  password: %(password)s") % {"password": result.password})
        self.stdout.write(
            _(
                "Also, with the same password, one user per role and workspace: "
                "fr-viewer, fr-editor, fr-manager, fr-vetting, fr-admin (French mission) and "
                "us-viewer ... us-admin (US office). Managers, administrators and admin enrol "
                "a two-factor device (TOTP) at their first login."
            )
        )
        if not no_example:
            self.stdout.write(
                _(
                    "The example workspace of fictitious data (%(slug)s): %(slug)s-viewer ... "
                    "%(slug)s-admin, and admin."
                )
                % {"slug": EXAMPLE_SLUG}
            )
