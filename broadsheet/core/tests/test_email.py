from django.core import mail

from broadsheet.core.email import email_message


def test_a_branded_message_has_text_and_html_parts_and_escapes_context(
    smtp_sink, db, tmp_path, settings
):
    # A new list (not the same one changed in place) fires setting_changed,
    # which throws away the template engines and their cached loaders.
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}, *settings.TEMPLATES[1:]]
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "probe.mjml").write_text(
        '{% extends "email/base.mjml" %}{% block content %}<mj-section><mj-column>'
        "<mj-text>{{ name }}</mj-text></mj-column></mj-section>{% endblock %}"
    )
    (tmp_path / "email" / "probe.txt").write_text("Hello {{ name }}")
    message = email_message(
        template="probe",
        context={"name": "<b>Ann & co</b>"},
        to="ann@example.org",
        subject="Hi\r\nBcc: evil@example.org",
    )
    message.send()
    received = smtp_sink.wait_for(1)[0]
    assert received["Subject"] == "Hi Bcc: evil@example.org"
    assert received["Bcc"] is None
    assert received.get_body(("plain",)).get_content().strip() == "Hello <b>Ann & co</b>"
    html = received.get_body(("html",)).get_content()
    assert "&lt;b&gt;Ann &amp; co&lt;/b&gt;" in html and "<b>Ann" not in html
    assert "Broadsheet" in html
    assert not mail.outbox
