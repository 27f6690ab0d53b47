"""Give Wagtail's "Moderators" group the permission to moderate comments.

Permissions are normally created after migrations run (post_migrate), so the
row is made here if it does not exist yet."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="discussions", model="comment")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="moderate_comment",
        defaults={"name": "Can moderate comments"},
    )
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="discussions", codename="moderate_comment"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0002_moderation"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
