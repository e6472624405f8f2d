"""Staff profiles moved to the directory app (services_directory.StaffProfile): who is who
is not an orientation. The rows are copied, then the old table goes."""

from django.db import migrations


def copy_profiles(apps, schema_editor):
    old = apps.get_model("orientations", "StaffProfile")
    new = apps.get_model("services_directory", "StaffProfile")
    new.objects.bulk_create(
        new(user_id=profile.user_id, role=profile.role, partner_id=profile.partner_id)
        for profile in old.objects.all()
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("orientations", "StaffProfile")
    new = apps.get_model("services_directory", "StaffProfile")
    old.objects.bulk_create(
        old(user_id=profile.user_id, role=profile.role, partner_id=profile.partner_id)
        for profile in new.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orientations", "0001_initial"),
        ("services_directory", "0006_staffprofile"),
    ]

    operations = [
        migrations.RunPython(copy_profiles, copy_back),
        migrations.DeleteModel(name="StaffProfile"),
    ]
