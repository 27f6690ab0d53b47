"""The moderation desk in the Wagtail admin: the queue (reported, held and
newest comments) with its actions, the moderator's edit form, and the audit
log. Every view needs `discussions.moderate_comment`."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from broadsheet.core.admin_views import AdminToolMixin

from .models import (
    Comment,
    CommentReport,
    CommentStatus,
    ModerationAction,
    ModerationActionKind,
    ReaderStanding,
)
from .services import (
    CommentRefused,
    comment_approve,
    comment_moderator_edit,
    comment_moderator_remove,
    comment_reject,
    reader_ban,
    reader_suspend,
    reader_unban,
    reader_warn,
)

QUEUE_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 50
SUSPEND_DAYS = [
    (1, gettext_lazy("1 day")),
    (7, gettext_lazy("7 days")),
    (30, gettext_lazy("30 days")),
]


class Tab:
    REPORTED = "reported"
    HELD = "held"
    NEWEST = "newest"
    ALL = (REPORTED, HELD, NEWEST)


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)


class SuspendForm(forms.Form):
    days = forms.TypedChoiceField(
        label=gettext_lazy("Suspend for"), choices=SUSPEND_DAYS, coerce=int
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)


class ModeratorEditForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)


class ModeratorRequiredMixin(AdminToolMixin):
    # The model permission "discussions.moderate_comment".
    model = Comment
    permission_required = "moderate"


def _open_reports():
    return CommentReport.objects.filter(resolved_at__isnull=True)


def queue_comments(tab: str):
    comments = Comment.objects.select_related(
        "page", "author", "author__discussion_standing"
    ).prefetch_related(
        Prefetch(
            "reports",
            queryset=_open_reports().order_by("created_at"),
            to_attr="open_reports",
        )
    )
    if tab == Tab.REPORTED:
        return (
            comments.filter(Exists(_open_reports().filter(comment=OuterRef("pk"))))
            .annotate(report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
            .order_by("-report_count", "created_at", "pk")
        )
    if tab == Tab.HELD:
        return comments.filter(status=CommentStatus.HELD).order_by("created_at", "pk")
    return comments.order_by("-created_at", "-pk")


def tab_counts() -> dict[str, int]:
    return {
        Tab.REPORTED: Comment.objects.filter(
            Exists(_open_reports().filter(comment=OuterRef("pk")))
        ).count(),
        Tab.HELD: Comment.objects.filter(status=CommentStatus.HELD).count(),
    }


class QueueView(ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "discussions/admin/queue.html"
    page_title = gettext_lazy("Comments")
    header_icon = "comment"

    def get(self, request, *args, **kwargs):
        counts = tab_counts()
        tab = request.GET.get("tab")
        if tab not in Tab.ALL:
            tab = (
                Tab.REPORTED
                if counts[Tab.REPORTED]
                else (Tab.HELD if counts[Tab.HELD] else Tab.NEWEST)
            )
        page = Paginator(queue_comments(tab), QUEUE_PAGE_SIZE).get_page(request.GET.get("p"))
        rows = []
        for comment in page:
            story = comment.page.specific_deferred
            standing = (
                getattr(comment.author, "discussion_standing", None) if comment.author else None
            )
            rows.append(
                {
                    "comment": comment,
                    "story": story,
                    "story_url": story.get_url(request=request),
                    "standing": standing,
                    "reports": comment.open_reports,
                }
            )
        tabs = [
            (Tab.REPORTED, _("Reported"), counts[Tab.REPORTED]),
            (Tab.HELD, _("Held"), counts[Tab.HELD]),
            (Tab.NEWEST, _("Newest"), None),
        ]
        context = self.get_context_data(
            tab=tab,
            tabs=tabs,
            rows=rows,
            page=page,
            here=request.get_full_path(),
            reject_form=RejectForm(),
            suspend_form=SuspendForm(),
        )
        return self.render_to_response(context)


def _back(request):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("discussions_admin:queue")


class CommentActionView(ModeratorRequiredMixin, View):
    """POST only: approve, reject, remove a comment, or warn, suspend, ban its author."""

    ACTIONS = ("approve", "reject", "remove", "warn", "suspend", "ban")

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk, action):
        comment = get_object_or_404(Comment.objects.select_related("page", "author"), pk=pk)
        me = request.user
        if action not in self.ACTIONS:
            raise Http404
        author = comment.author
        if action in ("warn", "suspend", "ban") and author is None:
            messages.error(request, _("This comment's author has deleted their account."))
            return _back(request)
        reason = (request.POST.get("reason") or "").strip()[:500]
        if action == "approve":
            try:
                comment_approve(moderator=me, comment=comment)
            except CommentRefused as refused:
                messages.error(request, refused.message)
                return _back(request)
            messages.success(request, _("Comment approved."))
        elif action == "reject":
            comment_reject(moderator=me, comment=comment, reason=reason)
            messages.success(request, _("Comment rejected."))
        elif action == "remove":
            comment_moderator_remove(moderator=me, comment=comment, reason=reason)
            messages.success(request, _("Comment removed."))
        elif action == "warn":
            reader_warn(moderator=me, reader=author, comment=comment, reason=reason)
            messages.success(request, _("%(name)s has been warned.") % {"name": author})
        elif action == "suspend":
            form = SuspendForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose how long to suspend for."))
                return _back(request)
            until = timezone.now() + timedelta(days=form.cleaned_data["days"])
            reader_suspend(moderator=me, reader=author, until=until, comment=comment, reason=reason)
            messages.success(
                request,
                _("%(name)s is suspended for %(days)d day(s).")
                % {"name": author, "days": form.cleaned_data["days"]},
            )
        elif action == "ban":
            reader_ban(moderator=me, reader=author, comment=comment, reason=reason)
            messages.success(request, _("%(name)s has been banned.") % {"name": author})
        return _back(request)


class ReaderUnbanView(ModeratorRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        reader = get_object_or_404(get_user_model(), pk=pk)
        get_object_or_404(ReaderStanding, user=reader)
        reader_unban(moderator=request.user, reader=reader)
        messages.success(request, _("%(name)s may take part again.") % {"name": reader})
        return _back(request)


class CommentEditView(ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "discussions/admin/comment_edit.html"
    page_title = gettext_lazy("Edit comment")
    header_icon = "comment"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.comment = get_object_or_404(
            Comment.objects.select_related("page", "author"), pk=kwargs["pk"]
        )

    def _render(self, form, status=200):
        context = self.get_context_data(
            comment=self.comment,
            form=form,
            back_url=self.request.GET.get("next") or reverse("discussions_admin:queue"),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        return self._render(ModeratorEditForm(initial={"body": self.comment.body}))

    def post(self, request, *args, **kwargs):
        form = ModeratorEditForm(request.POST)
        if form.is_valid():
            try:
                comment_moderator_edit(
                    moderator=request.user,
                    comment=self.comment,
                    body=form.cleaned_data["body"],
                    reason=form.cleaned_data["reason"],
                )
            except CommentRefused as refused:
                form.add_error("body", refused.message)
            else:
                messages.success(request, _("Comment edited."))
                return _back(request)
        return self._render(form, status=400)


def _moderator_choices():
    """Everyone who has an entry in the log as moderator (one query)."""
    users = (
        get_user_model()
        .objects.filter(Exists(ModerationAction.objects.filter(moderator=OuterRef("pk"))))
        .order_by("display_name", "username")
    )
    return [("", _("Any moderator"))] + [(str(u.pk), str(u)) for u in users]


class AuditFilterForm(forms.Form):
    """The audit log's filters (GET). A field that does not validate is
    reported next to it and left out; the others still apply."""

    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    moderator = forms.TypedChoiceField(
        label=gettext_lazy("Moderator"), required=False, coerce=int, empty_value=None
    )
    reader = forms.CharField(
        label=gettext_lazy("Reader"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Part of a username, display name or e-mail address."),
    )
    reader_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any action")), *ModerationActionKind.choices]
        self.fields["moderator"].choices = _moderator_choices()

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The valid filters only (call after `is_valid()`)."""
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "") and k not in self.errors}


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, action="", moderator=None, reader="", reader_id=None, since=None, until=None):
    entries = ModerationAction.objects.select_related(
        "moderator", "reader", "comment", "comment__page"
    ).order_by("-created_at", "-pk")
    if action:
        entries = entries.filter(action=action)
    if moderator:
        entries = entries.filter(moderator_id=moderator)
    if reader_id:
        entries = entries.filter(reader_id=reader_id)
    if reader:
        entries = entries.filter(
            Q(reader__username__icontains=reader)
            | Q(reader__display_name__icontains=reader)
            | Q(reader__email__icontains=reader)
        )
    if since:
        entries = entries.filter(created_at__gte=_day_start(since))
    if until:
        entries = entries.filter(created_at__lt=_day_start(until + timedelta(days=1)))
    return entries


# Actions against a reader: the log says when one was taken without a reason.
SANCTIONS = (ModerationActionKind.WARN, ModerationActionKind.SUSPEND, ModerationActionKind.BAN)


class AuditLogView(ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "discussions/admin/audit.html"
    page_title = gettext_lazy("Moderation audit log")
    header_icon = "list-ul"

    def get(self, request, *args, **kwargs):
        form = AuditFilterForm(request.GET)
        form.is_valid()
        filters = form.filters()
        page = Paginator(audit_entries(**filters), AUDIT_PAGE_SIZE).get_page(request.GET.get("p"))
        filtered_reader = None
        if filters.get("reader_id"):
            filtered_reader = get_user_model().objects.filter(pk=filters["reader_id"]).first()
        query = request.GET.copy()
        query.pop("p", None)
        all_readers = query.copy()
        all_readers.pop("reader_id", None)
        context = self.get_context_data(
            page=page,
            form=form,
            filtered=bool(filters),
            filtered_reader=filtered_reader,
            reader_id=filters.get("reader_id"),
            query=query.urlencode(),
            query_all_readers=all_readers.urlencode(),
            sanctions=SANCTIONS,
        )
        return self.render_to_response(context)
