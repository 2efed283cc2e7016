from django.db import migrations, models

import placelab.web.studies.models


class Migration(migrations.Migration):
    """Studies made before item bank 2 asked bank 1: they keep it, so their answers still read.
    New studies ask the newest bank."""

    dependencies = [
        ("studies", "0002_sector_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="study",
            name="item_bank",
            field=models.CharField(default="1", editable=False, max_length=20),
        ),
        migrations.AlterField(
            model_name="study",
            name="item_bank",
            field=models.CharField(
                default=placelab.web.studies.models.newest_bank_version,
                editable=False,
                max_length=20,
            ),
        ),
    ]
