from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsfeedAnnouncement(models.Model):
    """A story the open newsfeeds have been told about ("story.published").

    One row per story while it is public and announced: the row makes the
    announcement happen exactly once however the story became public (the
    admin's publish, Wagtail's scheduler, an embargo time passing), and says
    whether a withdrawal must be announced too, so a story that was never
    public is never named in the event log. Its own table, not a page field:
    Wagtail would copy a page field back from a stale revision on publish.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )
    announced_at = models.DateTimeField(_("announced at"), auto_now_add=True)

    class Meta:
        verbose_name = _("newsfeed announcement")
        verbose_name_plural = _("newsfeed announcements")

    def __str__(self):
        return f"{self.page_id} @ {self.announced_at:%Y-%m-%d %H:%M}"
