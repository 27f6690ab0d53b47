"""Newsletters in the Wagtail admin (menu "Newsletters"): the lists (a
ModelViewSet with active and pending counts, and each list's "Subscribers
over time" chart) and the subscribers (search by address, filter by status
or disabled; editors unsubscribe or delete one on request — never add one:
a subscription is the reader's own consent).

Every view needs the model permissions (Wagtail's ModelPermissionPolicy:
view/add/change/delete); staff without them get Wagtail's "no permission"."""

import django_filters
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from broadsheet.core.admin_views import AdminToolMixin

from .chart import chart_geometry
from .models import DisabledReason, NewsletterList, Subscriber, SubscriptionStatus
from .selectors import newsletters_with_counts, subscribers_over_time
from .services import subscription_unsubscribe

CHART_DAYS = 90


class NewsletterIndexView(generic.IndexView):
    def get_base_queryset(self):
        return newsletters_with_counts().select_related("section")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                gettext_lazy("Subscribers over time"),
                url=reverse("newsletter_lists:chart", args=[instance.pk]),
                icon_name="history",
                priority=5,
            )
        )
        return buttons


class NewsletterListViewSet(ModelViewSet):
    model = NewsletterList
    icon = "mail"
    menu_label = gettext_lazy("Lists")
    index_view_class = NewsletterIndexView
    form_fields = [
        "name",
        "slug",
        "description",
        "kind",
        "cadence",
        "section",
        "language",
        "active",
        "sort_order",
    ]
    list_display = [
        "name",
        "kind",
        "cadence",
        "language",
        "active",
        Column("active_count", label=gettext_lazy("Subscribed")),
        Column("pending_count", label=gettext_lazy("Waiting for confirmation")),
    ]
    list_filter = ["kind", "active", "language"]
    search_fields = ["name", "slug", "description"]
    search_backend_name = None

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("chart/<int:pk>/", NewsletterChartView.as_view(), name="chart"),
        ]


class NewsletterChartView(AdminToolMixin, WagtailAdminTemplateMixin, TemplateView):
    """Active subscribers at the end of each of the last 90 days, with each
    day's new and lost ones: an inline SVG and the same numbers as a table."""

    permission_policy = ModelPermissionPolicy(NewsletterList)
    permission_required = "view"
    template_name = "subscriptions/admin/chart.html"
    header_icon = "history"

    @property
    def page_title(self):
        return gettext_lazy("Subscribers over time")

    def get_context_data(self, **kwargs):
        newsletter = get_object_or_404(NewsletterList, pk=self.kwargs["pk"])
        self.page_subtitle = newsletter.name
        points = subscribers_over_time(newsletter=newsletter, days=CHART_DAYS)
        return super().get_context_data(
            newsletter=newsletter,
            points=points,
            chart=chart_geometry(points),
            active_now=points[-1].active if points else 0,
            new_total=sum(p.new for p in points),
            lost_total=sum(p.lost for p in points),
            days=CHART_DAYS,
            **kwargs,
        )


class SubscriberFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Subscription status"),
        field_name="subscriptions__status",
        choices=SubscriptionStatus.choices,
        distinct=True,
    )
    disabled_reason = django_filters.ChoiceFilter(
        label=gettext_lazy("Disabled"), choices=DisabledReason.choices
    )

    class Meta:
        model = Subscriber
        fields = []


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    """No "add": only the reader subscribes their address."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class SubscriberIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            buttons.append(
                ListingButton(
                    gettext_lazy("Unsubscribe from all"),
                    url=reverse("subscribers:unsubscribe", args=[instance.pk]),
                    icon_name="cross",
                    priority=30,
                )
            )
        return buttons


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = gettext_lazy("Subscribers")
    index_view_class = SubscriberIndexView
    form_fields = ["name", "language", "paused_until", "disabled_reason"]
    list_display = ["email", "name", "language", "created_at", "paused_until", "disabled_reason"]
    filterset_class = SubscriberFilterSet
    search_fields = ["email", "name"]
    search_backend_name = None

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("unsubscribe/<int:pk>/", SubscriberUnsubscribeView.as_view(), name="unsubscribe"),
        ]


class SubscriberUnsubscribeView(AdminToolMixin, WagtailAdminTemplateMixin, TemplateView):
    """A confirmation page; the POST ends every subscription of the address
    (kept, unlike a deletion, so the history and the chart stay right)."""

    permission_policy = SubscriberPermissionPolicy(Subscriber)
    permission_required = "change"
    template_name = "subscriptions/admin/unsubscribe.html"
    page_title = gettext_lazy("Unsubscribe from all")
    header_icon = "cross"

    def get_context_data(self, **kwargs):
        subscriber = get_object_or_404(Subscriber, pk=self.kwargs["pk"])
        return super().get_context_data(subscriber=subscriber, **kwargs)

    def post(self, request, pk):
        subscriber = get_object_or_404(Subscriber, pk=pk)
        count = subscription_unsubscribe(subscriber=subscriber)
        messages.success(
            request,
            gettext_lazy("%(email)s: %(count)d subscriptions ended.")
            % {"email": subscriber.email, "count": count},
        )
        return redirect("subscribers:index")


class NewslettersGroup(ViewSetGroup):
    menu_label = gettext_lazy("Newsletters")
    # Fixed, not slugified from the translated label: mailings' menu of the
    # same name merges into it (mailings/wagtail_hooks.py).
    menu_name = "newsletters"
    menu_icon = "mail"
    menu_order = 370
    items = (NewsletterListViewSet("newsletter_lists"), SubscriberViewSet("subscribers"))
