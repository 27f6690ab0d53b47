"""Per-edition groups: "Editors · Русский" publish in the Russian edition,
"Reporters · Русский" write and submit there; neither can change another
edition's pages (their page permissions sit on this edition's front page
only, which Wagtail applies to everything under it).

What else a group may do (the admin, photos, comment and chat moderation,
model permissions, collection permissions for the media bank) is copied from
Wagtail's default groups the newsroom already uses: "Moderators" for
editors, "Editors" for reporters. Both may start a translation
(wagtail-localize's "submit translation"); publishing one needs publish
permission in the target edition (checked again by newsroom/views.py on
"Sync translated pages").
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import Edition

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
REPORTER_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
# Which of Wagtail's default groups each edition role copies its other rights from.
TEMPLATES = {
    "editors": ("Moderators", EDITOR_PAGE_PERMISSIONS),
    "reporters": ("Editors", REPORTER_PAGE_PERMISSIONS),
}


def edition_group_names(*, edition: Edition) -> dict[str, str]:
    return {
        "editors": f"Editors · {edition.name}",
        "reporters": f"Reporters · {edition.name}",
    }


def edition_front_page(*, edition: Edition) -> Page | None:
    """The edition's front page, live or not: the root's child in its locale."""
    return Page.objects.filter(depth=2, locale_id=edition.locale_id).first()


@transaction.atomic
def edition_groups_ensure(*, edition: Edition) -> dict[str, Group]:
    """Create or complete the edition's two groups (idempotent: a second run
    adds only what is missing, and never removes what an admin added).
    Returns {"editors": group, "reporters": group}; {} while the edition has
    no front page yet."""
    home = edition_front_page(edition=edition)
    if home is None:
        return {}
    # Made by a wagtail-localize migration, not by post_migrate: a database
    # emptied and refilled without migrations (a flush) lacks it.
    submit = Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    )
    # Photo captions per edition (mediabank.PhotoTranslation): both roles.
    caption_permissions = Permission.objects.filter(
        content_type__app_label="mediabank", codename__endswith="_phototranslation"
    )
    names = edition_group_names(edition=edition)
    groups = {}
    for role, (template_name, page_codenames) in TEMPLATES.items():
        group, _created = Group.objects.get_or_create(name=names[role])
        template = Group.objects.filter(name=template_name).first()
        if template is not None:
            group.permissions.add(*template.permissions.all())
            for row in GroupCollectionPermission.objects.filter(group=template):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection_id=row.collection_id, permission_id=row.permission_id
                )
        group.permissions.add(*submit, *caption_permissions)
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=page_codenames
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        groups[role] = group
    edition_workflow_ensure(edition=edition, home=home, editors=groups["editors"])
    return groups


def edition_workflow_ensure(*, edition: Edition, home: Page, editors: Group) -> Workflow:
    """ "Submit for moderation" in an edition goes to that edition's editors.

    Wagtail's default workflow sits on the root and asks the site-wide
    "Moderators", which no edition editor belongs to; a workflow on the
    edition's front page takes precedence for everything below it
    (https://docs.wagtail.org/en/stable/extending/custom_tasks.html). A
    workflow an admin already put on the front page is left alone."""
    task, _created = GroupApprovalTask.objects.get_or_create(name=f"Approval · {edition.name}")
    task.groups.add(editors)
    workflow, _created = Workflow.objects.get_or_create(name=f"Moderation · {edition.name}")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    link, _created = WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})
    return link.workflow


def edition_groups_ensure_all() -> dict[str, dict[str, Group]]:
    """Every edition's groups; language code → groups (editions without a
    front page are left out)."""
    found = {}
    for edition in Edition.objects.select_related("locale"):
        groups = edition_groups_ensure(edition=edition)
        if groups:
            found[edition.language_code] = groups
    return found
