from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.SikubeLoginView.as_view(), name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("bahasa/", views.language, name="language"),
    path("profil/", views.profile, name="profile"),
    path("profil/token/", views.token_new, name="token_new"),
    path("profil/token/<int:token_id>/cabut/", views.token_revoke_view, name="token_revoke"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_new, name="user_new"),
    path("pengguna/<int:user_id>/", views.user_edit, name="user_edit"),
    path("pengguna/<int:user_id>/sandi/", views.user_password, name="user_password"),
]
