"""Reports → "Stale translations": translations whose source story was
published again after they were made or last synced, per edition."""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail_localize.models import Translation

from .translation import translations_stale


class EditionFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(target_locale__language_code=value)


class StaleTranslationsFilterSet(WagtailFilterSet):
    edition = EditionFilter(
        label=gettext_lazy("Edition"),
        choices=lambda: list(settings.LANGUAGES),
        empty_label=gettext_lazy("All editions"),
    )

    class Meta:
        model = Translation
        fields = ["edition"]


class StaleTranslationsReportView(ReportView):
    template_name = "editions/admin/stale_translations.html"
    results_template_name = "editions/admin/stale_translations_results.html"
    index_url_name = "editions_newsroom:stale_translations"
    index_results_url_name = "editions_newsroom:stale_translations_results"
    header_icon = "resubmit"
    page_title = gettext_lazy("Stale translations")
    filterset_class = StaleTranslationsFilterSet
    # CSV/XLSX of what the listing shows (ReportView's export).
    list_export = ["source.object_repr", "target_locale", "stale_since"]

    def get_queryset(self):
        return translations_stale()
