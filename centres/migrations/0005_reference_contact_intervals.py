"""Reference data: the default contact interval of each guidance class. Edited in the admin."""

from django.db import migrations

DEFAULT_DAYS = {
    "needs_attention": 30,
    "unclassified": 90,
    "growing": 90,
    "leading": 180,
}


def load(apps, schema_editor):
    ContactInterval = apps.get_model("centres", "ContactInterval")
    for guidance_class, days in DEFAULT_DAYS.items():
        ContactInterval.objects.get_or_create(guidance_class=guidance_class, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("centres", "0004_contacts_and_follow_ups")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
