from django.urls import path

from . import admin_views

app_name = "mailings_admin"
urlpatterns = [
    path("sends/", admin_views.SendListView.as_view(), name="sends"),
    path("digest/<int:pk>/", admin_views.DigestPreviewView.as_view(), name="digest_preview"),
    path(
        "digest/<int:pk>/email.html",
        admin_views.DigestPreviewHtmlView.as_view(),
        name="digest_preview_html",
    ),
    path("digest/<int:pk>/send/", admin_views.DigestSendView.as_view(), name="digest_send"),
]
