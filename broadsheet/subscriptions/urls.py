from django.urls import path

from . import views

app_name = "subscriptions"

# Mounted at the site's root inside i18n_patterns: /subscribe/, /ru/subscribe/…
urlpatterns = [
    path("subscribe/", views.SubscribeView.as_view(), name="subscribe"),
    path("subscribe/form/", views.SubscribeFragmentView.as_view(), name="subscribe_form"),
    path("subscriptions/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path(
        "subscriptions/preferences/<str:token>/",
        views.PreferencesView.as_view(),
        name="preferences",
    ),
    path(
        "subscriptions/preferences/<str:token>/data.json",
        views.DataView.as_view(),
        name="data",
    ),
    path(
        "subscriptions/preferences/<str:token>/delete/",
        views.DeleteView.as_view(),
        name="delete",
    ),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
]
