"""The registry's pages, under ``/cosoc/organizaciones/`` (sermig_portal/urls.py)."""

from django.urls import path

from participants.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.index, name="index"),
    path("mi-organizacion/", views.dashboard, name="dashboard"),
    path("postular/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/editar/", views.update, name="update"),
    path("<int:pk>/representantes/", views.representative_add, name="representative-add"),
    path(
        "<int:pk>/representantes/<int:representative_pk>/quitar/",
        views.representative_remove,
        name="representative-remove",
    ),
    path("<int:pk>/documentos/<int:document_pk>/", views.document, name="document"),
]
