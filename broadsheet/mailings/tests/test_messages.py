"""The wire bytes built per recipient are the message Django would build."""

from email import message_from_bytes, policy

from broadsheet.core.smtp_sink import message_html, message_text
from broadsheet.mailings.factories import DigestFactory, SendFactory, subscribers_add
from broadsheet.mailings.messages import Composer
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.subscriptions.links import preferences_url, unsubscribe_url


def test_fast_message_matches_django_s(world, digest_list, mail_settings):
    digest_list.name = "Утренний выпуск"
    digest_list.save()
    story = ArticlePageFactory(parent=world, title="Мост открыт = снова. Точка")
    digest = DigestFactory(
        newsletter=digest_list, stories=[story], subject="Выпуск: мост\r\nBcc: x"
    )
    send = SendFactory(digest=digest)
    (ann,) = subscribers_add(newsletter=digest_list, language="ru")
    composer = Composer(send)
    fast = message_from_bytes(
        composer.message_bytes(subscriber=ann, delivery_id=7), policy=policy.default
    )
    slow = message_from_bytes(
        composer.message(subscriber=ann, delivery_id=7).message().as_bytes(),
        policy=policy.default,
    )
    for header in ("Subject", "To", "List-Id", "List-Unsubscribe", "Message-ID", "Precedence"):
        assert "".join(str(fast[header]).split()) == "".join(str(slow[header]).split()), header
    assert fast["Subject"] == "Выпуск: мост Bcc: x" and fast["Bcc"] is None
    # Line ends differ only in how the parser hands back each encoding.
    assert message_text(fast).replace("\r\n", "\n") == message_text(slow)
    assert message_html(fast).replace("\r\n", "\n").strip() == message_html(slow).strip()
    assert unsubscribe_url(subscriber=ann, newsletter=digest_list) in message_text(fast)
    assert preferences_url(subscriber=ann) in message_html(fast)
    assert "Мост открыт = снова. Точка" in message_html(fast)
