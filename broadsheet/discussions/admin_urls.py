from django.urls import path

from . import admin_views

app_name = "discussions_admin"

urlpatterns = [
    path("queue/", admin_views.QueueView.as_view(), name="queue"),
    path("audit/", admin_views.AuditLogView.as_view(), name="audit"),
    path("comment/<int:pk>/edit/", admin_views.CommentEditView.as_view(), name="edit"),
    path(
        "comment/<int:pk>/<slug:action>/",
        admin_views.CommentActionView.as_view(),
        name="action",
    ),
    path("reader/<int:pk>/unban/", admin_views.ReaderUnbanView.as_view(), name="unban"),
]
