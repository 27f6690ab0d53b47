"""/feeds/… (inside i18n_patterns, so /ru/feeds/… names the feeds in Russian).

The two RSS addresses that came first keep their names (rss_latest,
rss_section); every feed also has feed_<kind> with its format.
"""

from django.urls import path, register_converter

from .views import FeedIndexView, FeedView


class FeedFormat:
    regex = "xml|atom|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FeedFormat, "feedformat")

site = FeedView.as_view(kind="site")
section = FeedView.as_view(kind="section")

urlpatterns = [
    path("", FeedIndexView.as_view(), name="feed_index"),
    path("latest.xml", site, name="rss_latest"),
    path("latest.<feedformat:fmt>", site, name="feed_site"),
    path("topics/<slug:slug>.<feedformat:fmt>", FeedView.as_view(kind="topic"), name="feed_topic"),
    path(
        "authors/<slug:slug>.<feedformat:fmt>", FeedView.as_view(kind="author"), name="feed_author"
    ),
    path("<slug:slug>.xml", section, name="rss_section"),
    path("<slug:slug>.<feedformat:fmt>", section, name="feed_section"),
]
