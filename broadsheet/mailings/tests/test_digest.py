"""Daily digests: composed as drafts in the morning, sent at send time once,
through a real SMTP server; nothing when there are no stories."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from broadsheet.core.smtp_sink import message_html, message_text
from broadsheet.mailings.factories import subscribers_add
from broadsheet.mailings.models import Digest, Send
from broadsheet.mailings.services import digest_compose, digests_due, mailings_schedule_run
from broadsheet.news.factories import ArticlePageFactory, story_schedule
from broadsheet.subscriptions.factories import NewsletterListFactory

ZONE = ZoneInfo("Europe/Berlin")


@pytest.fixture
def morning(settings, mail_settings):
    settings.MAILINGS_DIGEST_TIME_ZONE = "Europe/Berlin"
    settings.MAILINGS_DIGEST_COMPOSE_AT = "06:00"
    settings.MAILINGS_DIGEST_SEND_AT = "07:00"
    return settings


def at(hour, minute=0, day=None):
    """A local time, yesterday by default (stories cannot be in the future)."""
    day = day or timezone.now().astimezone(ZONE).date() - timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def story(section, hours_ago, when, **fields):
    published = when - timedelta(hours=hours_ago)
    return ArticlePageFactory(parent=section, published_at=published, **fields)


def test_the_draft_has_the_day_s_public_stories_lead_first(
    home, world, sport, digest_list, morning
):
    when = at(6, 5)
    old = story(world, 30, when, title="Yesterday's news")
    newer = story(world, 1, when, title="Newest")
    older = story(sport, 5, when, title="Match report")
    lead = story(world, 10, when, title="The lead")
    home.lead_story = lead
    home.save()
    # Embargoed: live in Wagtail's eyes only after its time; not in the digest.
    story_schedule(parent=world, go_live_at=timezone.now() + timedelta(hours=2), title="Secret")
    draft = digest_compose(newsletter=digest_list, edition=when.date(), until=when)
    titles = [item.story.title for item in draft.items.all()]
    assert titles == ["The lead", "Newest", "Match report"]
    assert old.title not in titles and newer and older
    assert digest_list.name in draft.subject
    # Composing again returns the same draft.
    assert digest_compose(newsletter=digest_list, edition=when.date(), until=when) == draft


def test_a_section_list_takes_its_section_only(world, sport, morning):
    sport_list = NewsletterListFactory(name="Sport", slug="sport-daily", section=sport)
    when = at(6, 5)
    story(world, 1, when, title="World story")
    story(sport, 1, when, title="Sport story")
    draft = digest_compose(newsletter=sport_list, edition=when.date(), until=when)
    assert [item.story.title for item in draft.items.all()] == ["Sport story"]


def test_no_stories_no_digest(home, digest_list, morning):
    when = at(8)
    assert digest_compose(newsletter=digest_list, edition=when.date(), until=when) is None
    assert digests_due(now=when) == []
    assert not Send.objects.exists()


def test_composed_at_six_sent_at_seven_once(
    world, digest_list, morning, smtp_sink, django_capture_on_commit_callbacks
):
    ann, boris = subscribers_add(newsletter=digest_list, count=2)
    boris.language = "ru"
    boris.save()
    story(world, 2, at(6), title="Bridge reopens")
    assert digests_due(now=at(5, 59)) == [] and not Digest.objects.exists()
    digests_due(now=at(6, 1))
    draft = Digest.objects.get()
    assert not Send.objects.exists()
    draft.intro = "Good <b>morning</b>."
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_due(now=at(7, 0)) == [f"digest sent: {draft}"]
    received = smtp_sink.wait_for(2)
    message = smtp_sink.to(ann.email)[0]
    assert message["Subject"] == draft.subject
    text, html = message_text(message), message_html(message)
    assert "Bridge reopens" in text and "Bridge reopens" in html
    assert "Good <b>morning</b>." in text and "Good &lt;b&gt;morning&lt;/b&gt;." in html
    assert "/unsubscribe/" in text and "/preferences/" in html
    assert "<img" in html and 'src="https://news.example/' in html
    assert "Фото:" in message_text(smtp_sink.to(boris.email)[0])
    # Later passes send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert mailings_schedule_run(now=at(7, 30)) == []
        assert mailings_schedule_run(now=at(9)) == []
    assert Send.objects.count() == 1 and len(received) == 2 == len(smtp_sink.messages)


def test_weekly_lists_go_on_mondays(world, morning):
    weekly = NewsletterListFactory(name="The week", slug="the-week", cadence="weekly")
    today = timezone.now().astimezone(ZONE).date()
    monday = today - timedelta(days=today.weekday() + 7)  # last week's: in the past
    tuesday = monday + timedelta(days=1)
    story(world, 24 * 5, at(6, day=monday), title="Early in the week")
    assert digests_due(now=at(6, 30, day=tuesday)) == []
    assert not Digest.objects.filter(newsletter=weekly).exists()
    digests_due(now=at(6, 30, day=monday))
    draft = Digest.objects.get(newsletter=weekly)
    assert [item.story.title for item in draft.items.all()] == ["Early in the week"]
