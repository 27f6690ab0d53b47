from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/data.json", views.AccountDataView.as_view(), name="account_data"),
    path("account/delete/", views.AccountDeleteView.as_view(), name="account_delete"),
    path("account/deleted/", views.AccountDeletedView.as_view(), name="account_deleted"),
    path("<int:pk>/", views.ProfileView.as_view(), name="profile"),
]
