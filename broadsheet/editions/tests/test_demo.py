"""The demo editions (editions/demo.py): each edition's tree, its stories
(translated, linked for wagtail-localize, and its own), the embargoed
translation, live story, chat room and lists; built once."""

import pytest
from django.utils import timezone
from wagtail.models import Locale
from wagtail_localize.models import Translation as LocalizeTranslation

from broadsheet.chats.models import ChatRoom
from broadsheet.discussions.models import Comment
from broadsheet.editions.demo import TEXTS, _flat, editions_demo_build
from broadsheet.editions.demo_text import en
from broadsheet.editions.models import Edition
from broadsheet.live.demo import live_demo_build
from broadsheet.live.models import LiveStoryPage
from broadsheet.news.demo import demo_build
from broadsheet.news.models import ArticlePage, GalleryPage, HomePage, SectionPage
from broadsheet.subscriptions.models import NewsletterList

LANGUAGES = ["ru", "es", "ar"]
# Letters of each edition's script: its section names must use them.
SCRIPT = {"ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"}


def test_every_translation_has_its_sources_blocks():
    """A translation's blocks pair up with the English source's segments."""
    wire = {story.key: story for story in en.WIRE}
    for text in TEXTS.values():
        for key, story in text.translations.items():
            source = wire[key]
            assert len(_flat(story.body)) == len(_flat(source.body)), (text.language, key)
            assert [type(b) for b in story.body] == [type(b) for b in source.body]
        assert set(text.sections) >= {"world", "politics", "business", "sport", "multimedia"}
        assert all(tag in text.tags for story in text.originals for tag in story.tags)


@pytest.mark.django_db
def test_the_demo_builds_each_edition_once(client):
    demo_build(articles=1, photos=1)
    live_demo_build()
    made = editions_demo_build(translated=2, originals=2)
    assert made["edition"] == 3 and made["wire story"] == len(en.WIRE) + 1

    for language in LANGUAGES:
        text = TEXTS[language]
        locale = Locale.objects.get(language_code=language)
        edition = Edition.objects.get(locale=locale)
        assert (edition.time_zone, edition.tagline) == (text.time_zone, text.tagline)
        home = HomePage.objects.get(locale=locale)
        assert (
            home.live
            and home.translation_key
            == HomePage.objects.get(locale__language_code="en").translation_key
        )

        sections = SectionPage.objects.child_of(home).live()
        assert sections.count() >= 6
        titles = {title for title, _slug, _intro in text.sections.values()}
        assert set(sections.values_list("title", flat=True)) == titles
        if language in SCRIPT:
            assert all(set(title.lower()) & set(SCRIPT[language]) for title in titles)

        stories = ArticlePage.objects.filter(locale=locale, coverage="")
        linked = set(
            ArticlePage.objects.filter(locale__language_code="en").values_list(
                "translation_key", flat=True
            )
        )
        own = [s for s in stories if s.translation_key not in linked]
        assert len(own) == 2 and all(s.live for s in own)
        assert len([s for s in stories if s.translation_key in linked and s.live]) == 2
        # Managed by wagtail-localize (so "source updated" and sync work), with
        # the edition's text rather than the source's.
        story = next(s for s in stories if s.translation_key in linked and s.live)
        assert LocalizeTranslation.objects.filter(
            target_locale=locale, source__object_id=story.translation_key
        ).exists()
        source = ArticlePage.objects.get(
            locale__language_code="en", translation_key=story.translation_key
        )
        assert story.title != source.title and story.standfirst != source.standfirst
        assert str(story.body[0].value) != str(source.body[0].value)
        assert {t.name for t in story.tags.all()} <= {n for n, _ in text.tags.values()}
        assert story.bylines.filter(author__locale=locale).exists()

        live = LiveStoryPage.objects.get(locale=locale)
        assert live.is_public and live.posts.count() == len(text.live.posts)
        assert GalleryPage.objects.filter(locale=locale, live=True).exists()
        room = ChatRoom.objects.get(slug=text.chat[1])
        assert room.messages.count() == len(text.chat[3]) and room.section.locale == locale
        assert NewsletterList.objects.filter(language=language).count() == 2
        assert Comment.objects.filter(page__locale=locale).exists()

        section = sections.get(slug=text.sections["world"][1])
        newsfeed = f"/{language}/newsfeed/"
        for url in (home.url, section.url, own[0].url, story.url, live.url, newsfeed):
            assert url.startswith(f"/{language}/")
            assert client.get(url).status_code == 200, url

    # One English story on purpose in English only (the switch falls back).
    tram = ArticlePage.objects.get(locale__language_code="en", title=en.LOCAL.title)
    assert ArticlePage.objects.filter(translation_key=tram.translation_key).count() == 1
    # The embargoed Russian translation: scheduled, not public anywhere yet.
    embargoed = ArticlePage.objects.get(locale__language_code="ru", live=False)
    assert embargoed.go_live_at > timezone.now() and not embargoed.is_public
    assert embargoed.title == TEXTS["ru"].translations["referendum"].title
    assert client.get(f"/ru/{embargoed.get_parent().slug}/{embargoed.slug}/").status_code == 404
    assert not ArticlePage.objects.published().filter(pk=embargoed.pk).exists()

    # The demo photos' captions in each edition's language, used on its pages.
    from broadsheet.mediabank.models import PhotoTranslation

    arabic = PhotoTranslation.objects.filter(language="ar").select_related("photo").first()
    assert arabic is not None and "التلال" in arabic.caption
    assert (
        PhotoTranslation.objects.filter(language="ru").count()
        == arabic.photo.__class__.objects.filter(title__startswith="Demo photo")
        .exclude(place="")
        .count()
    )

    # A second run adds nothing.
    assert not any(editions_demo_build(translated=2, originals=2).values())
