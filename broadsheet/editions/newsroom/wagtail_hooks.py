"""The newsroom's admin: imported by EditionsConfig.ready (not found by
Wagtail's wagtail_hooks discovery, so the editions app's own hooks file stays
another part's). Registered with order=-1: these URLs come before
wagtail-localize's at the same addresses, and the publish guard runs before
wagtail-localize's translation editor takes over the edit view."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from broadsheet.editions.reports import StaleTranslationsReportView
from broadsheet.editions.translation import translation_for_page, translation_staleness

from . import views


@hooks.register("register_admin_urls", order=-1)
def register_newsroom_urls():
    return [
        path(
            "localize/translate/<int:translation_id>/machine_translate/",
            views.machine_translate,
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            views.UpdateTranslationsGuardedView.as_view(),
        ),
        path(
            "editions/",
            (
                [
                    path(
                        "stale-translations/",
                        StaleTranslationsReportView.as_view(),
                        name="stale_translations",
                    ),
                    path(
                        "stale-translations/results/",
                        StaleTranslationsReportView.as_view(results_only=True),
                        name="stale_translations_results",
                    ),
                ],
                "editions_newsroom",
                "editions_newsroom",
            ),
        ),
    ]


hooks.register("before_edit_page", views.translation_publish_guard, order=-1)


class StaleTranslationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtail_localize.submit_translation")


@hooks.register("register_reports_menu_item")
def register_stale_translations_menu_item():
    return StaleTranslationsMenuItem(
        _("Stale translations"),
        reverse("editions_newsroom:stale_translations"),
        name="stale-translations",
        icon_name="resubmit",
        order=660,
    )


def _stale_button(page, user, view_name=None, next_url=None):
    """The explorer and the page header say "Source updated" on a translation
    whose source was published after it was last synced."""
    if page.is_root() or page.depth < 2:
        return
    translation = translation_for_page(page=page)
    if translation is None or translation_staleness(translation=translation) is None:
        return
    yield Button(
        _("Source updated"),
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        priority=5,
        icon_name="warning",
        attrs={
            "title": _("The source was published again after this translation: review and sync")
        },
    )


hooks.register("register_page_listing_more_buttons", _stale_button)
hooks.register("register_page_header_buttons", _stale_button)
