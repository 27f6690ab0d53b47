import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from broadsheet.accounts.signup import SignupView
from broadsheet.alerts import views as alerts_views
from broadsheet.core import views as core_views
from broadsheet.core.csp import ReportView as CspReportView
from broadsheet.edge.health import healthz
from broadsheet.mediabank.views import PhotoServeView
from broadsheet.news import sitemaps as news_sitemaps
from broadsheet.news import views as news_views
from broadsheet.search.views import SearchView

handler400 = "broadsheet.core.views.bad_request"
handler404 = "broadsheet.core.views.page_not_found"
handler500 = "broadsheet.core.views.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Renditions not made yet are made here when a browser asks (signed URLs).
    re_path(
        r"^images/([^/]*)/(\d*)/([^/]*)/[^/]*$",
        PhotoServeView.as_view(),
        name="wagtailimages_serve",
    ),
    # One index of every edition's sitemap files (news/sitemaps.py).
    path("sitemap.xml", news_sitemaps.sitemap_index, name="sitemap-index"),
    # pages, pages-ru, stories-2026-12, stories-ru-2026-12…; not sitemap-news.xml,
    # which is each edition's (i18n_patterns below).
    re_path(
        r"^sitemap-(?P<section>(?:pages|stories)[a-z0-9-]*)\.xml$",
        news_sitemaps.sitemap,
        name="sitemap",
    ),
    path("robots.txt", core_views.RobotsView.as_view(), name="robots"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    # Browsers post Content-Security-Policy violations here (logged, rate-limited).
    path("csp-report/", CspReportView.as_view(), name="csp_report"),
    # Browser alerts: the JSON subscription API (no language prefix) and the
    # service worker at the root, so its scope covers every language prefix.
    path("alerts/", include("broadsheet.alerts.urls")),
    path("sw.js", alerts_views.service_worker, name="service_worker"),
    # The mail provider's bounce and complaint reports (not language-prefixed).
    path("mailings/", include("broadsheet.mailings.urls")),
]

if settings.BROADSHEET_SERVE_MEDIA:
    # One-machine mode serves uploads itself; at scale they come from object
    # storage or the reverse proxy (docs/deploy.md).
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            core_views.media,
            name="media",
        )
    ]

# English lives at the root, other languages under their prefix (/ru/…).
# https://docs.wagtail.org/en/stable/advanced_topics/i18n.html
urlpatterns += i18n_patterns(
    # The Google News sitemap of each edition: /sitemap-news.xml, /ru/sitemap-news.xml…
    path("sitemap-news.xml", news_sitemaps.NewsSitemapView.as_view(), name="sitemap-news"),
    path("newsfeed/", news_views.NewsfeedView.as_view(), name="newsfeed"),
    path("search/", SearchView.as_view(), name="search"),
    path("feeds/", include("broadsheet.news.feeds.urls")),
    path("mediabank/", include("broadsheet.mediabank.urls")),
    # Before allauth's own URLs: the same sign-up, minus a 500 on a display-name race.
    path("accounts/signup/", SignupView.as_view(), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("readers/", include("broadsheet.accounts.urls")),
    path("discussions/", include("broadsheet.discussions.urls")),
    path("chats/", include("broadsheet.chats.urls")),
    path("", include("broadsheet.subscriptions.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
