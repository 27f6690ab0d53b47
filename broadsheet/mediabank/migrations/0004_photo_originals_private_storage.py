"""Photo originals move out of the public media storage into the private
"originals" storage (settings STORAGES). The file names stay the same
(`original_images/…`), so only files move. Safe to run again: a file already
in the private storage is left there (and a public copy left behind by an
interrupted run is removed)."""

from django.core.files.storage import storages
from django.db import migrations

import broadsheet.mediabank.models
import wagtail.images.models


def _move(apps, source_alias, target_alias):
    Photo = apps.get_model("mediabank", "Photo")
    source, target = storages[source_alias], storages[target_alias]
    names = Photo.objects.exclude(file="").order_by().values_list("file", flat=True).distinct()
    for name in names.iterator():
        if not source.exists(name):
            continue  # moved already, or missing everywhere (the admin reports that)
        if not target.exists(name):
            with source.open(name, "rb") as content:
                saved = target.save(name, content)
            if saved != name:
                Photo.objects.filter(file=name).update(file=saved)
        source.delete(name)


def originals_to_private(apps, schema_editor):
    _move(apps, "default", "originals")


def originals_to_public(apps, schema_editor):
    _move(apps, "originals", "default")


class Migration(migrations.Migration):

    dependencies = [
        ("mediabank", "0003_photo_rights"),
    ]

    operations = [
        migrations.AlterField(
            model_name="photo",
            name="file",
            field=wagtail.images.models.WagtailImageField(
                height_field="height",
                storage=broadsheet.mediabank.models.originals_storage,
                upload_to=wagtail.images.models.get_upload_to,
                verbose_name="file",
                width_field="width",
            ),
        ),
        migrations.RunPython(originals_to_private, originals_to_public, elidable=False),
    ]
