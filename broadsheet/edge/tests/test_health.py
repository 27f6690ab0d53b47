import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_the_probe_answers_ok_over_plain_http_whatever_the_host(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_probe_answers_503_while_the_database_does_not(client, monkeypatch):
    from broadsheet.edge import health

    class Broken:
        def __enter__(self):
            raise OperationalError("server closed the connection")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: Broken())
    response = client.get("/healthz")
    assert response.status_code == 503


def test_a_database_error_is_a_branded_503_to_retry(client, monkeypatch):
    from broadsheet.news import views

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(views, "feed_page_from_request", down)
    client.raise_request_exception = False
    response = client.get("/newsfeed/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert b"We will be back in a moment" in response.content
