#!/usr/bin/env python
import os
import sys

# Importing the management package reads no settings (they load on first use), so the import may come before
# the default settings module is chosen below.
from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sermig_portal.settings.dev")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
