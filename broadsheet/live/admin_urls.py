from django.urls import path

from . import admin_views

app_name = "live_admin"

urlpatterns = [
    path("", admin_views.DeskIndexView.as_view(), name="index"),
    path("<int:page_id>/desk/", admin_views.DeskView.as_view(), name="desk"),
    path("<int:page_id>/desk/stream/", admin_views.DeskStreamView.as_view(), name="stream"),
    path("<int:page_id>/post/<int:pk>/edit/", admin_views.PostEditView.as_view(), name="edit"),
    path(
        "<int:page_id>/post/<int:pk>/<slug:action>/",
        admin_views.PostActionView.as_view(),
        name="action",
    ),
]
