from django.urls import path

from . import admin_views

app_name = "mediabank_admin"

urlpatterns = [
    path("expiring/", admin_views.ExpiringPhotosView.as_view(), name="expiring_photos"),
    path("<int:pk>/swap/", admin_views.PhotoSwapView.as_view(), name="photo_swap"),
]
