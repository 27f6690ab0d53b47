"""Breaking news per edition: browser alerts go to the story's edition's
readers, with the story's own address; each edition's banner is its own."""

from broadsheet.alerts.models import PushAlert
from broadsheet.alerts.tests.test_sending import draft, publish, subscribe
from broadsheet.editions.tests.fixtures_listings import *  # noqa: F403


def test_a_breaking_story_alerts_its_own_edition(
    newsroom_ru, push_service, client, django_capture_on_commit_callbacks
):
    anna, boris = push_service.browser("anna"), push_service.browser("boris")
    subscribe(anna)
    subscribe(boris, language="ru")
    story = draft(newsroom_ru["ru"].world, title="Плотина прорвана", breaking=True)
    story = publish(story, django_capture_on_commit_callbacks)

    received = push_service.wait_for(1)
    assert [item.path for item in received] == [boris.path]
    assert received[0].payload["url"] == f"http://127.0.0.1:8000/ru/world/{story.slug}/"
    assert PushAlert.objects.filter(story=story).exists()
    # The banner: in ru, linking the story under /ru/; not in en.
    russian = client.get("/ru/").content.decode()
    assert f'href="/ru/world/{story.slug}/"' in russian
    assert 'data-breaking-edition="ru"' in russian
    assert "Плотина прорвана" not in client.get("/").content.decode()
