from django.urls import path

from kotacerdas.training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    # Step 1a: the ministry's readiness training and referrals.
    path("kesiapan/", views.readiness_overview, name="readiness_overview"),
    path("kesiapan/catat/", views.readiness_create, name="readiness_create"),
    path("kesiapan/verifikasi/", views.readiness_queue, name="readiness_queue"),
    path("kesiapan/<int:pk>/", views.readiness_detail, name="readiness_detail"),
    path(
        "kesiapan/<int:pk>/putuskan/", views.readiness_decide, name="readiness_decide"
    ),
    path("rujukan/", views.referral_list, name="referral_list"),
    path("rujukan/minta/", views.referral_request, name="referral_request"),
    path("rujukan/<int:pk>/", views.referral_detail, name="referral_detail"),
    # Step 1b: the institute's indicator training.
    path("indikator/", views.session_list, name="session_list"),
    path("indikator/<int:pk>/", views.session_detail, name="session_detail"),
    path("indikator/<int:pk>/daftar/", views.session_enrol, name="session_enrol"),
    path(
        "indikator/<int:pk>/kehadiran/",
        views.session_attendance,
        name="session_attendance",
    ),
    path(
        "indikator/<int:pk>/selesai/", views.session_complete, name="session_complete"
    ),
    path(
        "pendaftaran/<int:pk>/mundur/",
        views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
]
