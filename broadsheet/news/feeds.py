"""RSS feeds of the newsfeed, overall and per section (Django's syndication framework).
https://docs.djangoproject.com/en/5.2/ref/contrib/syndication/"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from broadsheet.core.models import SiteIdentity
from broadsheet.core.origin import absolute_url

from .models import SectionPage
from .selectors import feed_page


class NewsfeedRss(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, section_slug=None):
        self.request = request
        self.identity = SiteIdentity.for_request(request)
        if section_slug is None:
            return None
        # A translated section keeps its slug: the feed of the language asked
        # for, else the section in whichever language it exists.
        sections = SectionPage.objects.live().filter(slug=section_slug)
        section = sections.filter(locale=Locale.get_active()).first() or sections.first()
        if section is None:
            raise Http404
        return section

    def title(self, section):
        name = self.identity.name
        return f"{name}: {section.title}" if section else f"{name}: {_('Newsfeed')}"

    # Django's syndication puts the request's host in front of relative links;
    # absolute ones on SITE_URL are kept as they are.
    def link(self, section):
        return absolute_url(section.get_url(self.request) if section else reverse("newsfeed"))

    def feed_url(self, section):
        return absolute_url(self.request.path)

    def description(self, section):
        return section.intro if section and section.intro else self.identity.tagline

    def items(self, section):
        return feed_page(section=section, limit=50).items

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.standfirst

    def item_link(self, story):
        return absolute_url(story.get_url(self.request))

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.updated_at

    def item_categories(self, story):
        return [story.section.title] if story.section else []
