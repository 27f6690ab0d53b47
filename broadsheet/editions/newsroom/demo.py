"""The demo's newsroom per edition: each edition's groups, an editor per
edition ("editor-ru" …), and the demo's English desk (`editor`, `reporter`,
news/demo.py) moved from Wagtail's site-wide groups into the English
edition's, so that nobody but the admin publishes everywhere."""

from django.conf import settings
from django.contrib.auth.models import Group

from broadsheet.accounts.factories import UserFactory
from broadsheet.accounts.models import User
from broadsheet.editions.permissions import edition_groups_ensure_all


def demo_edition_password(*, code: str) -> str:
    # The pattern of news/demo.DEMO_PASSWORDS ("broadsheet-editor").
    return f"broadsheet-editor-{code}"


def demo_edition_editors() -> list[tuple[str, str, str]]:
    """(username, password, edition) of each non-default edition's demo editor."""
    return [
        (f"editor-{code}", demo_edition_password(code=code), name)
        for code, name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]


def newsroom_demo_build() -> dict[str, int]:
    made = {"edition group": 0, "edition editor": 0}
    groups = edition_groups_ensure_all()
    made["edition group"] = sum(len(g) for g in groups.values())
    default = groups.get(settings.LANGUAGE_CODE)
    if default:
        site_wide = Group.objects.filter(name__in=["Moderators", "Editors"])
        for username, role in (("editor", "editors"), ("reporter", "reporters")):
            user = User.objects.filter(username=username).first()
            if user is not None:
                user.groups.remove(*site_wide)
                user.groups.add(default[role])
    for username, password, _name in demo_edition_editors():
        code = username.removeprefix("editor-")
        if code in groups and not User.objects.filter(username=username).exists():
            UserFactory(
                username=username,
                first_name="Editor",
                last_name=code.upper(),
                password=password,
                is_staff=True,
                groups=[groups[code]["editors"].name],
            )
            made["edition editor"] += 1
    return made
