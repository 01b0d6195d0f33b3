from django.urls import path

from kotacerdas.registrations import views

app_name = "registrations"

urlpatterns = [
    path("", views.index, name="index"),
    path("mulai/", views.start, name="start"),
    path("antrean/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/simpan/", views.autosave, name="autosave"),
    path("<int:pk>/indikator/", views.picker, name="picker"),
    path("<int:pk>/dokumen/<slug:slug>/", views.upload, name="upload"),
    path("<int:pk>/kirim/", views.submit, name="submit"),
    path("<int:pk>/tarik/", views.withdraw, name="withdraw"),
    path("<int:pk>/periksa/", views.check, name="check"),
]
