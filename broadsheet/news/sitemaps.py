"""The Google News sitemap, beside the sitemap index of every page
(core/sitemaps.py): news crawlers read it to pick up new stories within
minutes of publication.

It lists the stories of the last two days, at most 1,000, each with the
publication's name, the story's language, its public time and headline, as
Google's format requires; embargoed stories are never in it (`published()`).
https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import TemplateView

from broadsheet.core.models import SiteIdentity

from .selectors import stories_for_news_sitemap

NEWS_SITEMAP_WINDOW = timedelta(days=2)
NEWS_SITEMAP_LIMIT = 1000


class NewsSitemapView(TemplateView):
    template_name = "news/news_sitemap.xml"
    content_type = "application/xml; charset=utf-8"

    def get_context_data(self, **kwargs):
        since = timezone.now() - NEWS_SITEMAP_WINDOW
        stories = stories_for_news_sitemap(since=since, limit=NEWS_SITEMAP_LIMIT)
        return {
            "publication": SiteIdentity.for_request(self.request).name,
            "entries": [
                (story.get_full_url(self.request), story, story.locale.language_code)
                for story in stories
            ],
        }

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # Crawlers come every few minutes; a CDN may answer most of them.
        patch_cache_control(response, public=True, max_age=0, s_maxage=120)
        return response
