from django.urls import path

from . import admin_views

app_name = "chats_admin"

urlpatterns = [path("desk/", admin_views.ChatDeskView.as_view(), name="held")]
