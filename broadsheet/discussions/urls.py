from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path("<int:page_id>/", views.ThreadView.as_view(), name="thread"),
    path("<int:page_id>/post/", views.PostView.as_view(), name="post"),
    path("comment/<int:pk>/replies/", views.RepliesView.as_view(), name="replies"),
    # GET: the form for one comment, on demand; edit and report take the POST too.
    path("comment/<int:pk>/reply/", views.CommentFormView.as_view(kind="reply"), name="reply"),
    path("comment/<int:pk>/edit/", views.EditView.as_view(), name="edit"),  # GET: the form
    path("comment/<int:pk>/delete/", views.DeleteView.as_view(), name="delete"),
    path("comment/<int:pk>/like/", views.LikeView.as_view(), name="like"),
    path("comment/<int:pk>/report/", views.ReportView.as_view(), name="report"),  # GET: form
]
