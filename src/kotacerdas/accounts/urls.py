from django.contrib.auth import views as auth_views
from django.urls import path

from kotacerdas.accounts import team_views, views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-sandi/terkirim/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "atur-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The region's team (accounts.team).
    path("tim/", team_views.team_page, name="team"),
    path("tim/undang/", team_views.invite, name="team_invite"),
    path("tim/<int:pk>/ubah/", team_views.member_edit, name="team_member_edit"),
    path(
        "tim/<int:pk>/nonaktifkan/",
        team_views.member_deactivate,
        name="team_member_deactivate",
    ),
    path(
        "tim/<int:pk>/aktifkan/",
        team_views.member_reactivate,
        name="team_member_reactivate",
    ),
    path(
        "tim/undangan/<int:pk>/kirim-ulang/",
        team_views.invitation_resend,
        name="team_invitation_resend",
    ),
    path(
        "tim/undangan/<int:pk>/batal/",
        team_views.invitation_cancel,
        name="team_invitation_cancel",
    ),
    path(
        "undangan/<str:token>/",
        team_views.invitation_accept,
        name="invitation_accept",
    ),
]
