from django.urls import re_path

from . import views

app_name = "mediabank"

# Ids are bounded so a huge number is a 404, not a database overflow.
urlpatterns = [
    re_path(r"^$", views.PhotoListView.as_view(), name="photo_list"),
    re_path(r"^(?P<pk>[0-9]{1,12})/$", views.PhotoDetailView.as_view(), name="photo_detail"),
    re_path(r"^(?P<pk>[0-9]{1,12})/original/$", views.photo_original, name="photo_original"),
]
