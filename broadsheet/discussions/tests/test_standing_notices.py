"""Readers are told by e-mail when a moderator warns, suspends, bans or lets
them back in (never who the moderator was), and every e-mail to a reader is
written in the language they last took part in."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.discussions.models import (
    DiscussionPreferences,
    ModerationAction,
    ModerationActionKind,
)
from broadsheet.discussions.services import (
    comment_post,
    discussion_preferences_set,
    reader_ban,
    reader_suspend,
    reader_unban,
    reader_warn,
)
from broadsheet.discussions.tasks import reader_notice_task

pytestmark = pytest.mark.django_db

BASE = settings.SITE_URL


@pytest.fixture
def moderator(db):
    return reader_verified(
        username="mona_desk",
        display_name="Mona Moderator",
        email="mona.desk@example.org",
        is_staff=True,
        groups=["Moderators"],
    )


def _moderator_hidden(email, moderator):
    text = " ".join([email.subject, email.body, *email.to, *email.reply_to, email.from_email])
    for secret in (moderator.username, moderator.display_name, moderator.email, "Mona"):
        assert secret not in text


def _only_mail_to(reader):
    [email] = mail.outbox
    assert email.to == [reader.email]
    return email


def test_warning_is_mailed_after_commit_with_reason_and_excerpt(
    story, reader, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(page=story, author=reader, body="You are all <idiots> & worse")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reader_warn(moderator=moderator, reader=reader, comment=comment, reason="Be civil, please")
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    email = _only_mail_to(reader)
    assert email.subject == "A warning about your comments on Broadsheet"
    assert "Hello Rita Reader," in email.body
    assert "Be civil, please" in email.body
    # Plain text: the reader's words as typed, not HTML-escaped.
    assert "You are all <idiots> & worse" in email.body
    assert story.title in email.body
    # No community rules configured: the reader's account page instead.
    assert f"Your account: {BASE}/readers/account/" in email.body
    assert "reply to this email or write to newsroom@broadsheet.localhost" in email.body
    assert email.reply_to == [settings.DEFAULT_FROM_EMAIL]
    assert not getattr(email, "alternatives", None)  # plain text, like the reply e-mail
    _moderator_hidden(email, moderator)


def test_warning_without_comment_or_reason(reader, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reader_warn(moderator=moderator, reader=reader)
    email = _only_mail_to(reader)
    assert "reason" not in email.body
    assert "The comment concerned" not in email.body
    assert "\n\n\n" not in email.body


def test_suspension_says_until_when_and_why(
    story, reader, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(page=story, author=reader)
    until = timezone.now() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        reader_suspend(
            moderator=moderator, reader=reader, until=until, comment=comment, reason="Cool off"
        )
    email = _only_mail_to(reader)
    assert email.subject == "You are suspended from the discussions on Broadsheet"
    with translation.override("en"):
        expected = date_format(timezone.localtime(until), "j F Y, H:i")
    assert f"until {expected}" in email.body
    assert "Cool off" in email.body
    assert "you can appeal" in email.body
    _moderator_hidden(email, moderator)


def test_suspension_without_reason_does_not_repeat_the_date_as_reason(
    reader, moderator, django_capture_on_commit_callbacks
):
    until = timezone.now() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        reader_suspend(moderator=moderator, reader=reader, until=until)
    email = _only_mail_to(reader)
    assert "reason" not in email.body
    logged = ModerationAction.objects.get()
    assert (logged.reason, logged.until) == ("", until)  # no date standing in for a reason


def test_ban_and_its_lifting(reader, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reader_ban(moderator=moderator, reader=reader, reason="Spam links, again")
    email = _only_mail_to(reader)
    assert email.subject == "You are banned from the discussions on Broadsheet"
    assert "Spam links, again" in email.body
    _moderator_hidden(email, moderator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reader_unban(moderator=moderator, reader=reader)
    email = _only_mail_to(reader)
    assert email.subject == "You can take part in the discussions on Broadsheet again"
    assert "appeal" not in email.body
    _moderator_hidden(email, moderator)


def test_lifting_nothing_sends_nothing(reader, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reader_warn(moderator=moderator, reader=reader)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reader_unban(moderator=moderator, reader=reader)
    assert mail.outbox == []


def test_a_sanction_lifted_before_the_worker_runs_is_not_announced(
    reader, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reader_suspend(moderator=moderator, reader=reader, until=timezone.now() + timedelta(days=1))
        reader_unban(moderator=moderator, reader=reader)
    assert [m.subject for m in mail.outbox] == [
        "You can take part in the discussions on Broadsheet again"
    ]


def test_warning_through_the_admin_mails_the_author(
    client, story, reader, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(page=story, author=reader)
    client.force_login(moderator)
    url = reverse("discussions_admin:action", args=[comment.pk, "warn"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Mind your tone"}).status_code == 302
    email = _only_mail_to(reader)
    assert "Mind your tone" in email.body
    _moderator_hidden(email, moderator)


def test_rules_link_and_contact_address_from_settings(
    settings, reader, moderator, django_capture_on_commit_callbacks
):
    settings.BROADSHEET_COMMUNITY_RULES_URL = "/community-rules/"
    settings.BROADSHEET_MODERATION_CONTACT_EMAIL = "Reader desk <appeals@example.org>"
    with django_capture_on_commit_callbacks(execute=True):
        reader_ban(moderator=moderator, reader=reader)
    email = _only_mail_to(reader)
    assert f"Our community rules: {BASE}/community-rules/" in email.body
    assert "write to appeals@example.org" in email.body
    assert email.reply_to == ["Reader desk <appeals@example.org>"]
    settings.BROADSHEET_COMMUNITY_RULES_URL = "https://example.org/rules"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reader_warn(moderator=moderator, reader=reader)
    assert "Our community rules: https://example.org/rules" in mail.outbox[0].body


# ------------------------------------------------------------- skipped


def test_unverified_reader_gets_nothing(
    story, unverified, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reader_warn(moderator=moderator, reader=unverified, reason="x")
    assert mail.outbox == []
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        reader_ban(moderator=moderator, reader=unverified)
    assert mail.outbox == []


def test_inactive_reader_gets_nothing(reader, moderator, django_capture_on_commit_callbacks):
    reader.is_active = False
    reader.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        reader_warn(moderator=moderator, reader=reader)
    assert mail.outbox == []


def test_account_deleted_before_the_worker_runs(
    reader, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reader_ban(moderator=moderator, reader=reader, reason="Gone")
    reader.delete()
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert ModerationAction.objects.get().reader is None


def test_task_ignores_missing_and_comment_actions(story, reader, moderator):
    assert reader_notice_task.enqueue(999_999).return_value is False
    comment = CommentFactory(page=story, author=reader)
    reject = ModerationAction.objects.create(
        moderator=moderator, action=ModerationActionKind.REJECT, comment=comment, reader=reader
    )
    assert reader_notice_task.enqueue(reject.pk).return_value is False
    assert mail.outbox == []


# ------------------------------------------------------------- language


def test_posting_remembers_the_readers_language(story, reader, no_rate_limits):
    with translation.override("ru"):
        comment_post(user=reader, page=story, body="Привет")
    assert DiscussionPreferences.objects.get(user=reader).language == "ru"
    assert not DiscussionPreferences.objects.get(user=reader).notify_replies
    comment_post(user=reader, page=story, body="Hello again")
    assert DiscussionPreferences.objects.get(user=reader).language == "en"


def test_remembering_an_unchanged_language_costs_one_select(story, reader, no_rate_limits):
    discussion_preferences_set(user=reader, notify_replies=True)
    comment_post(user=reader, page=story, body="First")
    with CaptureQueriesContext(connection) as captured:
        comment_post(user=reader, page=story, body="Second")
    touching = [q["sql"] for q in captured.captured_queries if "discussionpreferences" in q["sql"]]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("SELECT"), touching
    assert DiscussionPreferences.objects.get(user=reader).notify_replies


def test_russian_reader_gets_the_reply_email_in_russian(
    story, reader, other, no_rate_limits, django_capture_on_commit_callbacks
):
    discussion_preferences_set(user=reader, notify_replies=True)
    with translation.override("ru"):
        top = comment_post(user=reader, page=story, body="Мой комментарий")
    # The reply is written by an English-speaking reader, in English.
    with django_capture_on_commit_callbacks(execute=True):
        reply = comment_post(user=other, page=story, body="A reply", parent=top)
    [email] = mail.outbox
    assert email.subject == "Otto Other ответил(а) на ваш комментарий"
    assert f"{BASE}/ru/discussions/{story.pk}/#comment-{reply.pk}" in email.body
    assert translation.get_language() == "en"  # the override ended with the task


def test_english_reader_keeps_english_links(
    story, reader, other, no_rate_limits, django_capture_on_commit_callbacks
):
    discussion_preferences_set(user=reader, notify_replies=True)
    top = comment_post(user=reader, page=story, body="Mine")
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        comment_post(user=other, page=story, body="Ответ", parent=top)
    [email] = mail.outbox
    assert email.subject == "Otto Other replied to your comment"
    assert "/ru/" not in email.body


def test_russian_reader_gets_the_notice_with_russian_links(
    reader, moderator, django_capture_on_commit_callbacks
):
    DiscussionPreferences.objects.create(user=reader, language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        reader_warn(moderator=moderator, reader=reader)
    email = _only_mail_to(reader)
    assert f"{BASE}/ru/readers/account/" in email.body


def test_a_language_the_site_no_longer_offers_falls_back(
    reader, moderator, django_capture_on_commit_callbacks
):
    DiscussionPreferences.objects.create(user=reader, language="xx")
    with django_capture_on_commit_callbacks(execute=True):
        reader_warn(moderator=moderator, reader=reader)
    email = _only_mail_to(reader)
    assert f"{BASE}/readers/account/" in email.body and "/xx/" not in email.body
