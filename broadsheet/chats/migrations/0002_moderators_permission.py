"""Give Wagtail's "Moderators" group the permission to moderate chats, as
discussions migration 0003 does for comments, and both "Moderators" and
"Editors" the admin's rooms (add, change: the newsroom opens rooms). The
permission rows are made here if post_migrate has not made them yet."""

from django.db import migrations


PERMISSIONS = [
    ("moderate_chat", "Can moderate chats"),
    ("add_chatroom", "Can add chat room"),
    ("change_chatroom", "Can change chat room"),
]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="chats", model="chatroom")
    permissions = {
        codename: Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS
    }
    rooms = [permissions["add_chatroom"], permissions["change_chatroom"]]
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(permissions["moderate_chat"], *rooms)
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*rooms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Moderators", "Editors"]):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="chats", codename__in=[c for c, _ in PERMISSIONS]
            )
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
