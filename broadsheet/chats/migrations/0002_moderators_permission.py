"""Give Wagtail's "Moderators" group the permission to moderate chats, as
discussions migration 0003 does for comments (the permission row is made
here if post_migrate has not made it yet)."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="chats", model="chatroom")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="moderate_chat",
        defaults={"name": "Can moderate chats"},
    )
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="chats", codename="moderate_chat")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("chats", "0001_initial"),
        # The "Moderators" group exists from here on.
        ("discussions", "0003_moderators_permission"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
