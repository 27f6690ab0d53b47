"""Until the subscriptions app's views are merged: its two link names, so the
links in e-mails can be built and followed (tests' `subscription_urls`
fixture, and worker processes through process_settings.py). Once the site's
URLconf has the `subscriptions` namespace this is the site's URLconf as is."""

from django.http import HttpResponse
from django.urls import get_resolver, include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from broadsheet.subscriptions.links import subscriber_from_token
from broadsheet.subscriptions.models import SubscriptionStatus
from broadsheet.urls import urlpatterns as site_urlpatterns


@csrf_exempt
def unsubscribe(request, token):
    found = subscriber_from_token(token=token)
    if found is None:
        return HttpResponse(status=404)
    if request.method == "POST":
        subscriber, newsletter = found
        subscriptions = subscriber.subscriptions.all()
        if newsletter is not None:
            subscriptions = subscriptions.filter(newsletter=newsletter)
        subscriptions.update(status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    return HttpResponse("ok")


def preferences(request, token):
    return HttpResponse("preferences")


stub = (
    [
        path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
        path("preferences/<str:token>/", preferences, name="preferences"),
    ],
    "subscriptions",
)
urlpatterns = list(site_urlpatterns)
if "subscriptions" not in get_resolver("broadsheet.urls").namespace_dict:
    urlpatterns.insert(0, path("subscriptions/", include(stub)))
