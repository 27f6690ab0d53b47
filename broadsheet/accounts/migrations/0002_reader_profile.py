from django.db import migrations, models

import broadsheet.accounts.validators


def fill_display_name_keys(apps, schema_editor):
    # Names given before this migration (staff bylines) get their key, so the
    # uniqueness constraint below covers them too.
    from broadsheet.accounts.validators import display_name_key

    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(display_name="").only("pk", "display_name"):
        User.objects.filter(pk=user.pk).update(display_name_key=display_name_key(user.display_name))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="avatar",
            field=models.ImageField(blank=True, upload_to="avatars/", verbose_name="avatar"),
        ),
        migrations.AddField(
            model_name="user",
            name="bio",
            field=models.CharField(blank=True, max_length=300, verbose_name="short bio"),
        ),
        migrations.AddField(
            model_name="user",
            name="display_name_key",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.AlterField(
            model_name="user",
            name="display_name",
            field=models.CharField(
                blank=True,
                help_text="Shown with your comments and on your public profile.",
                max_length=80,
                validators=[broadsheet.accounts.validators.validate_display_name],
                verbose_name="display name",
            ),
        ),
        migrations.RunPython(fill_display_name_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("display_name_key", ""), _negated=True),
                fields=("display_name_key",),
                name="accounts_user_display_name_key_unique",
                violation_error_message="This display name is already taken.",
            ),
        ),
    ]
