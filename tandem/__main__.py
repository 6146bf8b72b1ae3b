"""`python -m tandem <command>` runs a management command, e.g. `python -m tandem demo`."""

import os
import sys

from django.core.management import execute_from_command_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
execute_from_command_line([f"{sys.executable} -m tandem", *sys.argv[1:]])
