import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("schools", "0002_engagement"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="strategy",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                models.F("district"),
                name="library_strategy_name",
            ),
        ),
    ]
