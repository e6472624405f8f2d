"""The CTG's two fiches actions and their indicators (product data, see indicators/frame.py)."""

from django.db import migrations


def install_frame(apps, schema_editor):
    from indicators.frame import install

    install(
        apps.get_model("indicators", "Framework"),
        apps.get_model("indicators", "Axis"),
        apps.get_model("indicators", "ActionSheet"),
        apps.get_model("indicators", "Indicator"),
        apps.get_model("services_directory", "Sector"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("services_directory", "0003_seed_sectors_needs_languages"),
    ]

    operations = [migrations.RunPython(install_frame, migrations.RunPython.noop)]
