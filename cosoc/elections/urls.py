"""Election pages, under ``/cosoc/elecciones/`` (included from cosoc/urls.py)."""

from django.urls import path

from cosoc.elections import views

app_name = "elections"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/padron/", views.roll, name="roll"),
    path("<int:pk>/candidaturas/", views.candidates, name="candidates"),
    path("<int:pk>/resultados/", views.results, name="results"),
    path("<int:pk>/organizacion/<int:organization_pk>/candidatura/", views.nominate, name="nominate"),
    path("<int:pk>/organizacion/<int:organization_pk>/votar/", views.vote, name="vote"),
    path("<int:pk>/organizacion/<int:organization_pk>/voto-emitido/", views.voted, name="voted"),
]
