"""Wagtail's "Editors" (reporters) edit and preview digests and see the sends;
"Moderators" (editors, who publish) also send them (Newsletters menu): a
digest reaches every subscriber, so sending is a publishing decision. Permissions are normally created after
migrations run (post_migrate), so the rows are made here if missing."""

from django.db import migrations

GRANTS = {
    "digest": [
        ("add", "Can add digest"),
        ("change", "Can change digest"),
        ("delete", "Can delete digest"),
        ("view", "Can view digest"),
    ],
    "send": [("add", "Can add send"), ("view", "Can view send")],
}
GROUPS = {
    "Editors": ["add_digest", "change_digest", "view_digest", "view_send"],
    "Moderators": [f"{action}_{model}" for model, rows in GRANTS.items() for action, _ in rows],
}


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model, actions in GRANTS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="mailings", model=model)
        for action, name in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": name}
            )
            yield permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*[p for p in permissions if p.codename in GROUPS[group.name]])


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("mailings", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
