from django.urls import path

from . import webhooks

app_name = "mailings"
urlpatterns = [path("webhooks/feedback/", webhooks.feedback, name="feedback")]
