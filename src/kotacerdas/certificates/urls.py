from django.urls import path

from kotacerdas.certificates import views

app_name = "certificates"

urlpatterns = [
    path("verifikasi/", views.lookup, name="lookup"),
    # No trailing slash: this is the address printed under the QR code.
    path("verifikasi/<str:number>", views.verify, name="verify"),
    path("sertifikat/", views.certificate_list, name="list"),
    path("sertifikat/registri/", views.registry, name="registry"),
    path("sertifikat/kesiapan/", views.readiness_pending, name="readiness_pending"),
    path(
        "sertifikat/kesiapan/<int:stage_id>/terbitkan",
        views.issue_readiness,
        name="issue_readiness",
    ),
    path("sertifikat/<str:number>/unduh", views.download, name="download"),
    path("sertifikat/<str:number>/status", views.change_status, name="status"),
]
