"""The newsroom side: every page type is creatable in the Wagtail admin, previews
work in every mode, and the demo roles can do what they should and no more."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from broadsheet.accounts.factories import UserFactory
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import (
    ArticlePageFactory,
    AuthorIndexPageFactory,
    AuthorPageFactory,
    SectionPageFactory,
    front_page_install,
)
from broadsheet.news.models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    GalleryPage,
    HomePage,
    SectionPage,
    TagIndexPage,
)


class NewsroomAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = front_page_install()
        cls.world = SectionPageFactory(parent=cls.home, title="World", slug="world")
        cls.authors = AuthorIndexPageFactory(parent=cls.home)
        cls.author = AuthorPageFactory(parent=cls.authors)
        cls.photo = PhotoFactory()

    def setUp(self):
        self.login()

    def test_page_tree_rules(self):
        self.assertAllowedSubpageTypes(HomePage, {SectionPage, AuthorIndexPage, TagIndexPage})
        live_story = apps.get_model("live", "LiveStoryPage")  # live/ builds on news/
        self.assertAllowedSubpageTypes(SectionPage, {ArticlePage, GalleryPage, live_story})
        self.assertAllowedParentPageTypes(ArticlePage, {SectionPage})
        self.assertAllowedParentPageTypes(AuthorPage, {AuthorIndexPage})

    def test_can_create_section(self):
        self.assertCanCreate(
            self.home,
            SectionPage,
            nested_form_data({"title": "Sport", "slug": "sport", "intro": "Results and more"}),
        )

    def test_can_create_author(self):
        self.assertCanCreate(
            self.authors,
            AuthorPage,
            nested_form_data(
                {
                    "title": "Lena Novak",
                    "slug": "lena-novak",
                    "role": "Reporter",
                    "bio": rich_text("<p>Covers the Baltic.</p>"),
                }
            ),
        )

    def test_can_create_tag_index(self):
        self.assertCanCreate(
            self.home, TagIndexPage, nested_form_data({"title": "Topics", "slug": "topics"})
        )

    def test_can_create_article_with_every_body_block(self):
        related = ArticlePageFactory(parent=self.world, lead_photo=self.photo)
        data = nested_form_data(
            {
                "title": "Grain corridor reopens",
                "slug": "grain-corridor-reopens",
                "kind": "analysis",
                "standfirst": "Ships are moving again after six weeks.",
                "dateline": "Port Meren",
                "lead_photo": self.photo.pk,
                "bylines": inline_formset([{"author": self.author.pk}]),
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>First paragraph.</p>")),
                        ("subheading", "What happens next"),
                        (
                            "quote",
                            {
                                "quote": "We are ready.",
                                "attribution": "A. Okafor",
                                "role": "Harbour master",
                            },
                        ),
                        ("image", {"image": self.photo.pk, "caption": ""}),
                        ("related_story", {"page": related.pk, "label": ""}),
                        ("fact_box", {"title": "Facts", "body": rich_text("<p>Fact.</p>")}),
                        (
                            "key_figures",
                            {
                                "title": "",
                                "figures": streamfield(
                                    [("item", {"number": "37%", "label": "cheaper"})]
                                ),
                            },
                        ),
                    ]
                ),
                "tags": "Trade, Food security",
            }
        )
        self.assertCanCreate(self.world, ArticlePage, data)
        story = ArticlePage.objects.get(slug="grain-corridor-reopens")
        assert story.section_id == self.world.pk
        assert story.published_at is not None
        assert [b.block_type for b in story.body] == [
            "paragraph",
            "subheading",
            "quote",
            "image",
            "related_story",
            "fact_box",
            "key_figures",
        ]
        html = self.client.get(story.url).content.decode()
        for expected in (
            "First paragraph.",
            "We are ready.",
            "Harbour master",
            "Facts",
            "37%",
            related.title.replace("'", "&#x27;"),
            self.photo.credit_line,
        ):
            assert expected in html, expected

    def _minimal_article_data(self, story):
        return nested_form_data(
            {
                "title": story.title,
                "slug": story.slug,
                "kind": "news",
                "standfirst": story.standfirst,
                "lead_photo": self.photo.pk,
                "bylines": inline_formset([]),
                "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
                "tags": "",
            }
        )

    def test_article_previews_in_every_mode(self):
        story = ArticlePageFactory(parent=self.world, lead_photo=self.photo)
        for mode in ("", "feed", "social"):
            self.assertPageIsPreviewable(
                story, mode=mode, post_data=self._minimal_article_data(story)
            )

    def test_editor_sees_the_story_url_and_cards_in_previews(self):
        story = ArticlePageFactory(parent=self.world, lead_photo=self.photo)
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk])
        self.client.post(url, self._minimal_article_data(story))
        feed = self.client.get(url, {"mode": "feed"}).content.decode()
        assert f"{settings.SITE_URL}{story.url}" in feed
        social = self.client.get(url, {"mode": "social"}).content.decode()
        # No renditions yet: the card's picture comes from Wagtail's signed image view.
        assert f'class="social-card__image" src="{settings.SITE_URL}/images/' in social


@pytest.mark.django_db
def test_reporter_cannot_publish_and_editor_can(client, home, world):
    reporter = UserFactory(username="rep", is_staff=True, groups=["Editors"])
    editor = UserFactory(username="ed", is_staff=True, groups=["Moderators"])
    story = ArticlePageFactory(parent=world)
    assert story.permissions_for_user(reporter).can_edit()
    assert not story.permissions_for_user(reporter).can_publish()
    assert story.permissions_for_user(editor).can_publish()
    assert Group.objects.get(name="Editors").permissions.filter(codename="access_admin").exists()


@pytest.mark.django_db
def test_reporter_submits_for_moderation_and_editor_approves_to_publish(client, home, world):
    from wagtail.models import WorkflowState

    reporter = UserFactory(username="rep2", is_staff=True, groups=["Editors"])
    editor = UserFactory(username="ed2", is_staff=True, groups=["Moderators"])
    photo = PhotoFactory()
    client.force_login(reporter)
    data = nested_form_data(
        {
            "title": "Draft from the field",
            "slug": "draft-from-the-field",
            "kind": "news",
            "standfirst": "Filed from the border crossing.",
            "lead_photo": photo.pk,
            "bylines": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Copy.</p>"))]),
            "tags": "",
            "action-submit": "1",
        }
    )
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", world.pk]), data
    )
    assert response.status_code == 302
    story = ArticlePage.objects.get(slug="draft-from-the-field")
    assert not story.live
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    client.force_login(editor)
    task_state = state.current_task_state
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[story.pk, "approve", task_state.pk],
        ),
        {"comment": "Good to go"},
    )
    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.live and story.published_at is not None
    assert client.get(story.url).status_code == 200
