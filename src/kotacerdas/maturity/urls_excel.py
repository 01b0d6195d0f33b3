"""The spreadsheet round trip of a maturity stage; every path starts with
``excel/``."""

from django.urls import path

from kotacerdas.maturity import views_excel as views

urlpatterns = [
    path("excel/<int:pk>/", views.page, name="excel"),
    path("excel/<int:pk>/unduh/", views.download, name="excel_download"),
    path("excel/<int:pk>/unggah/", views.upload, name="excel_upload"),
    path("excel/<int:pk>/impor/", views.confirm, name="excel_confirm"),
]
