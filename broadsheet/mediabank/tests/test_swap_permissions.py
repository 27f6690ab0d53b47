"""The photo swap acts within the user's page permissions: publish what they
may publish, save as draft what they may only edit, leave the rest; and it is
offered on the photo's own edit page."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, PageLogEntry

from broadsheet.accounts.factories import UserFactory
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.services import photo_swap, photo_swap_plan
from broadsheet.mediabank.usage import photo_pages
from broadsheet.news.factories import ArticlePageFactory, SectionPageFactory, story_body
from broadsheet.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def _group(name: str, *, image_collection=None, pages=()) -> Group:
    """A group that may use the admin, change images in `image_collection`
    (if given) and hold `pages`: (page, ["add", "change", "publish"]) pairs."""
    group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if image_collection is not None:
        GroupCollectionPermission.objects.create(
            group=group,
            collection=image_collection,
            permission=Permission.objects.get(codename="change_image"),
        )
    for page, kinds in pages:
        for kind in kinds:
            GroupPagePermission.objects.create(group=group, page=page, permission_type=kind)
    return group


def _staff(username: str, *groups: str):
    return UserFactory(username=username, is_staff=True, groups=list(groups))


def _live(parent, photo, **fields) -> ArticlePage:
    story = ArticlePageFactory(parent=parent, lead_photo=photo, **fields)
    story.save_revision().publish()
    return ArticlePage.objects.get(pk=story.pk)


@pytest.fixture
def reporter(db):
    """Wagtail's "Editors": add and change pages, change images, no publishing."""
    return _staff("reporter", "Editors")


@pytest.fixture
def moderator(db):
    return _staff("moderator", "Moderators")


@pytest.fixture
def business(home):
    return SectionPageFactory(parent=home, title="Business", slug="business")


@pytest.fixture
def desk(world, sport, business):
    """Publishes Sport, may only edit World, has no rights on Business."""
    group = _group(
        "Sport desk",
        image_collection=Collection.get_first_root_node(),
        pages=[(sport, ["add", "change", "publish"]), (world, ["add", "change"])],
    )
    return _staff("desk", group.name)


def test_a_reporter_saves_the_swap_as_a_draft_and_the_live_page_keeps_the_old_photo(
    world, reporter
):
    old, new = PhotoFactory(), PhotoFactory()
    story = _live(world, old, title="Live story", body=story_body(seed=1, photo=old))
    live_revision = story.live_revision_id

    result = photo_swap(old=old, new=new, user=reporter)

    assert [p.pk for p in result.needs_publishing] == [story.pk]
    assert [p.pk for p in result.drafts] == [story.pk]
    assert result.published == [] and result.skipped == []
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.live_revision_id == live_revision, "nothing was published"
    assert story.lead_photo_id == old.pk, "the live page keeps the old photo"
    assert [c.value["image"].pk for c in story.body if c.block_type == "image"] == [old.pk]
    assert story.has_unpublished_changes
    draft = story.get_latest_revision_as_object()
    assert draft.lead_photo_id == new.pk
    assert [c.value["image"].pk for c in draft.body if c.block_type == "image"] == [new.pk]
    assert story.get_latest_revision().user == reporter
    assert not PageLogEntry.objects.filter(page=story, action="wagtail.publish", user=reporter)
    assert not story.workflow_in_progress, "not submitted to moderation on the reporter's behalf"
    assert {p.pk for p in photo_pages(photo=old)} == {story.pk}, "still used by the live page"


def test_a_reporters_pending_draft_is_swapped_and_stays_the_latest_revision(world, reporter):
    old, new = PhotoFactory(), PhotoFactory()
    story = _live(world, old, title="Live headline")
    draft = ArticlePage.objects.get(pk=story.pk)
    draft.title = "Draft headline"
    draft.save_revision()

    photo_swap(old=old, new=new, user=reporter)

    story = ArticlePage.objects.get(pk=story.pk)
    assert (story.title, story.lead_photo_id) == ("Live headline", old.pk)
    latest = story.get_latest_revision_as_object()
    assert (latest.title, latest.lead_photo_id) == ("Draft headline", new.pk)


def test_a_moderator_publishes_as_before(world, moderator):
    old, new = PhotoFactory(), PhotoFactory()
    story = _live(world, old)

    result = photo_swap(old=old, new=new, user=moderator)

    assert [p.pk for p in result.published] == [story.pk]
    assert result.needs_publishing == [] and result.skipped == []
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.lead_photo_id == new.pk
    assert not story.has_unpublished_changes
    assert story.live_revision.user == moderator
    assert photo_pages(photo=old) == []


def test_pages_the_user_may_not_edit_are_left_alone(world, business):
    old, new = PhotoFactory(), PhotoFactory()
    story = _live(world, old)
    revisions = story.revisions.count()
    picture_desk = _group("Picture desk", image_collection=Collection.get_first_root_node())
    user = _staff("pictures", picture_desk.name)

    result = photo_swap(old=old, new=new, user=user)

    assert [p.pk for p in result.skipped] == [story.pk]
    assert result.count == 0
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.lead_photo_id == old.pk
    assert story.revisions.count() == revisions
    assert not story.has_unpublished_changes


def test_each_page_by_the_users_rights_on_its_section(world, sport, business, desk):
    old, new = PhotoFactory(), PhotoFactory()
    in_sport = _live(sport, old, title="Sport story")
    in_world = _live(world, old, title="World story")
    in_business = _live(business, old, title="Business story")
    draft_only = ArticlePageFactory.build(
        live=False,
        published_at=None,
        first_published_at=None,
        last_published_at=None,
        lead_photo=old,
        title="World draft",
    )
    world.add_child(instance=draft_only)
    draft_only.save_revision()

    plan = photo_swap_plan(old=old, user=desk)
    assert [p.pk for p in plan.publish] == [in_sport.pk]
    assert {p.pk for p in plan.draft} == {in_world.pk, draft_only.pk}
    assert [p.pk for p in plan.needs_publishing] == [in_world.pk]
    assert [p.pk for p in plan.skip] == [in_business.pk]

    result = photo_swap(old=old, new=new, user=desk)

    assert [p.pk for p in result.published] == [in_sport.pk]
    assert {p.pk for p in result.drafts} == {in_world.pk, draft_only.pk}
    assert [p.pk for p in result.needs_publishing] == [in_world.pk]
    assert [p.pk for p in result.skipped] == [in_business.pk]
    assert ArticlePage.objects.get(pk=in_sport.pk).lead_photo_id == new.pk
    assert ArticlePage.objects.get(pk=in_world.pk).lead_photo_id == old.pk
    world_draft = ArticlePage.objects.get(pk=in_world.pk).get_latest_revision_as_object()
    assert world_draft.lead_photo_id == new.pk
    assert ArticlePage.objects.get(pk=in_business.pk).lead_photo_id == old.pk
    draft_only = ArticlePage.objects.get(pk=draft_only.pk)
    assert not draft_only.live
    assert draft_only.get_latest_revision_as_object().lead_photo_id == new.pk
    assert {p.pk for p in photo_pages(photo=old)} == {in_world.pk, in_business.pk}


def test_the_confirmation_and_the_result_list_the_three_groups(
    client, world, sport, business, desk
):
    old, new = PhotoFactory(title="Old photo"), PhotoFactory(title="New photo")
    in_sport = _live(sport, old, title="Sport story")
    in_world = _live(world, old, title="World story")
    in_business = _live(business, old, title="Business story")
    client.force_login(desk)
    url = reverse("mediabank_admin:photo_swap", args=[old.pk])

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 page will be published with the new photo" in html
    assert "1 page will be saved as draft" in html
    assert "needs publishing by an editor" in html
    assert "1 page will not be changed: you may not edit it" in html
    groups = {
        name: html.split(f'data-swap-group="{name}"')[1].split("</section>")[0]
        for name in ("publish", "draft", "skip")
    }
    assert "Sport story" in groups["publish"] and "World story" not in groups["publish"]
    assert "World story" in groups["draft"]
    assert "Business story" in groups["skip"]
    assert reverse("wagtailadmin_pages:edit", args=[in_business.pk]) not in html

    done = client.post(url, {"replacement": new.pk}, follow=True)
    assert done.redirect_chain[0] == (reverse("mediabank_admin:expiring_photos"), 302)
    shown = [str(m) for m in done.context["messages"]]
    assert shown[0] == (
        "Photo “Old photo” replaced by “New photo”. 1 page published. 1 page saved as draft."
    )
    assert "needs publishing by an editor" in shown[1] and "“World story”" in shown[1]
    assert "you may not edit this page" in shown[2] and "“Business story”" in shown[2]
    assert ArticlePage.objects.get(pk=in_sport.pk).lead_photo_id == new.pk
    assert ArticlePage.objects.get(pk=in_world.pk).lead_photo_id == old.pk
    assert ArticlePage.objects.get(pk=in_business.pk).lead_photo_id == old.pk


def test_the_swap_comes_back_to_a_safe_next_url_only(client, world, moderator):
    old, new = PhotoFactory(), PhotoFactory()
    _live(world, old)
    client.force_login(moderator)
    edit = reverse("wagtailimages:edit", args=[old.pk])
    url = reverse("mediabank_admin:photo_swap", args=[old.pk])

    page = client.get(url, {"next": "https://evil.example/"}).content.decode()
    assert "evil.example" not in page
    response = client.post(f"{url}?next={edit}", {"replacement": new.pk})
    assert response.status_code == 302
    assert response["Location"] == edit


def test_the_swap_needs_change_permission_on_this_photo(client, world):
    agency = Collection.get_first_root_node().add_child(name="Agency")
    group = _group("Agency desk", image_collection=agency, pages=[(world, ["change"])])
    user = _staff("agency", group.name)
    ours, theirs = PhotoFactory(), PhotoFactory(collection=agency)
    client.force_login(user)

    refused = client.get(reverse("mediabank_admin:photo_swap", args=[ours.pk]))
    assert refused.status_code == 302
    assert refused["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse("mediabank_admin:photo_swap", args=[theirs.pk])).status_code == 200


def _swap_link(client, photo) -> bool:
    response = client.get(reverse("wagtailimages:edit", args=[photo.pk]))
    assert response.status_code == 200
    return reverse("mediabank_admin:photo_swap", args=[photo.pk]) in response.content.decode()


def test_the_edit_page_offers_the_swap_for_a_used_photo(client, world, reporter):
    used, unused = PhotoFactory(), PhotoFactory()
    ArticlePageFactory(parent=world, lead_photo=used)
    client.force_login(reporter)

    assert _swap_link(client, used)
    html = client.get(reverse("wagtailimages:edit", args=[used.pk])).content.decode()
    assert "Swap on all pages" in html
    assert "Used 1 time" in html, "Wagtail's own stats are still there"
    assert not _swap_link(client, unused)


def test_no_swap_link_without_image_change_permission(client, world):
    photo = PhotoFactory()
    ArticlePageFactory(parent=world, lead_photo=photo)
    group = _group("Writers", pages=[(world, ["add", "change"])])
    client.force_login(_staff("writer", group.name))

    # Wagtail refuses the edit page itself (a redirect home with a message),
    # so the link is never shown; the swap view refuses too.
    response = client.get(reverse("wagtailimages:edit", args=[photo.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert reverse("mediabank_admin:photo_swap", args=[photo.pk]) not in response.content.decode()
    swap = client.get(reverse("mediabank_admin:photo_swap", args=[photo.pk]))
    assert swap["Location"] == reverse("wagtailadmin_home")


def test_a_page_in_moderation_publishes_the_swapped_draft_when_approved(world, reporter, moderator):
    old, new = PhotoFactory(), PhotoFactory()
    story = _live(world, old)
    submitted = ArticlePage.objects.get(pk=story.pk)
    submitted.title = "Submitted headline"
    submitted.save_revision(user=reporter)
    story.get_workflow().start(story, reporter)
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.workflow_in_progress

    result = photo_swap(old=old, new=new, user=reporter)

    assert [p.pk for p in result.needs_publishing] == [story.pk]
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.workflow_in_progress, "the workflow goes on"
    assert story.lead_photo_id == old.pk
    task_state = story.current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    story = ArticlePage.objects.get(pk=story.pk)
    assert (story.title, story.lead_photo_id) == ("Submitted headline", new.pk)


def test_the_expiring_report_offers_the_swap_only_where_it_is_allowed(client, world):
    from datetime import timedelta

    from django.utils import timezone

    agency = Collection.get_first_root_node().add_child(name="Agency")
    group = _group("Agency desk", image_collection=agency, pages=[(world, ["change"])])
    user = _staff("agency", group.name)
    soon = timezone.now() + timedelta(days=3)
    ours = PhotoFactory(licence_expires_at=soon)
    theirs = PhotoFactory(collection=agency, licence_expires_at=soon)
    client.force_login(user)
    report = reverse("mediabank_admin:expiring_photos")
    html = client.get(report).content.decode()
    assert reverse("mediabank_admin:photo_swap", args=[theirs.pk]) + "?next=" in html
    assert ours.title in html  # listed, but not ours to swap
    assert reverse("mediabank_admin:photo_swap", args=[ours.pk]) not in html
