"""Tandem's own strategy library, for every install (not only the demo)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from tandem.library import seeding

    seeding.load(apps.get_model("library", "Strategy"))


class Migration(migrations.Migration):
    dependencies = [("library", "0002_strategy_name_unique")]

    # Reversing leaves the strategies: cycles may point at them.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
