"""`liaison serve`: Django's development server (as `runserver`, static files by
WhiteNoise) that says where Liaison is once it accepts connections, not before."""

from __future__ import annotations

from django.core.management import get_commands, load_command_class
from django.utils import translation
from django.utils.translation import gettext as _

from liaison.core.console import console_language

# The runserver that INSTALLED_APPS make effective (WhiteNoise's, which wraps Django's).
RunserverCommand = type(load_command_class(get_commands()["runserver"], "runserver"))


class Command(RunserverCommand):  # type: ignore[misc,valid-type]
    help = "Serve Liaison for local use, and say so once the server accepts connections."

    def on_bind(self, server_port: int) -> None:
        super().on_bind(server_port)
        address = f"{self.protocol}://{self.addr}:{server_port}/"
        # Under the autoreloader this runs in a thread of its own, which does not share
        # the language the command line activated in the main thread.
        with translation.override(console_language()):
            message = _("Liaison is ready on %(address)s (Ctrl-C stops it).")
        self.stdout.write(self.style.SUCCESS(message % {"address": address}))
