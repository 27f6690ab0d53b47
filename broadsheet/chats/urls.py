from django.urls import path

from . import views

app_name = "chats"

urlpatterns = [
    path("", views.RoomListView.as_view(), name="list"),
    path("message/<int:pk>/<slug:action>/", views.MessageActionView.as_view(), name="message"),
    path("<str:slug>/", views.RoomView.as_view(), name="room"),
    path("<str:slug>/post/", views.PostView.as_view(), name="post"),
    path("<str:slug>/moderate/", views.RoomModerateView.as_view(), name="moderate"),
]
