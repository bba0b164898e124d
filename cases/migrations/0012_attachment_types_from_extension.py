"""Attachments stored before the type was decided by the service kept the type the uploader
claimed; the download now serves the stored type, so derive it from the checked extension."""

import mimetypes
from pathlib import PurePath

from django.db import migrations


def derive_types(apps, schema_editor):
    Attachment = apps.get_model("cases", "Attachment")
    for attachment in Attachment.objects.only("pk", "original_name").iterator():
        extension = PurePath(attachment.original_name).suffix.lower()
        content_type = mimetypes.guess_type(f"file{extension}")[0] or "application/octet-stream"
        Attachment.objects.filter(pk=attachment.pk).update(content_type=content_type)


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_current_due_nullable")]

    operations = [migrations.RunPython(derive_types, migrations.RunPython.noop)]
