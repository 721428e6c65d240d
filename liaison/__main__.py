"""The `liaison` command: the project's manage.py, installed as a console script."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django
    from django.core.management import execute_from_command_line
    from django.utils import translation

    # Commands speak the README's language (English) unless LIAISON_CONSOLE_LANGUAGE
    # says otherwise; pages follow each user's language, whatever this is.
    django.setup()
    translation.activate(os.environ.get("LIAISON_CONSOLE_LANGUAGE", "en"))
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
