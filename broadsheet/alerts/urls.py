from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("push/subscribe/", views.SubscribeView.as_view(), name="push_subscribe"),
    path("push/unsubscribe/", views.UnsubscribeView.as_view(), name="push_unsubscribe"),
]
