"""The `liaison` command: the project's manage.py, installed as a console script."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django
    from django.core.management import execute_from_command_line
    from django.utils import translation

    from liaison.core.console import console_language

    django.setup()
    translation.activate(console_language())
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
