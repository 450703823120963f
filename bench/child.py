"""A child process of the bench: ``python bench/child.py <module> <what> [argument…]``.

Django is set up here, with the bench's environment, before the measuring module (``engine_measures``,
``consultations_measures``) is loaded, so that module imports models at its top like any other. The module's
``MEASURES[what](*arguments)`` returns a dict, printed as the one ``RESULT {json}`` line ``run_child`` reads.
"""

import importlib
import json
import os
import sys

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sermig_portal.settings.production")
    django.setup()
    if len(sys.argv) < 3:
        print("usage: child.py <module> <what> [argument…]", file=sys.stderr)
        return 2
    module, what, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    measures = importlib.import_module(module).MEASURES
    if what not in measures:
        print(f"usage: child.py {module} {{{'|'.join(measures)}}} [argument…]", file=sys.stderr)
        return 2
    print("RESULT " + json.dumps(measures[what](*args), default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
