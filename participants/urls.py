from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("perfil/", views.profile, name="profile"),
    path("mis-datos/", views.my_data, name="my-data"),
    path("mis-datos/copia/", views.export_create, name="export-create"),
    path("mis-datos/copia/<uuid:export_id>/", views.export_detail, name="export-detail"),
    path("mis-datos/copia/<uuid:export_id>/descargar/", views.export_download, name="export-download"),
    path("mis-datos/copia/<uuid:export_id>/pdf/", views.export_download_pdf, name="export-download-pdf"),
    path("eliminar/", views.account_delete, name="account-delete"),
    path("eliminada/", views.account_deleted, name="account-deleted"),
]
