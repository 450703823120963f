from django.urls import include, path

from cosoc import views

app_name = "cosoc"

urlpatterns = [
    path("", views.index, name="index"),
    path("sesiones/", views.sessions, name="sessions"),
    path("sesiones/<int:pk>/", views.session, name="session"),
    path("sesiones/<int:pk>/revision/", views.review, name="review"),
    path("sesiones/<int:pk>/acta/", views.minutes, name="minutes"),
    path("documentos/<int:pk>/", views.document, name="document"),
    path("acuerdos/", views.agreements, name="agreements"),
    path("elecciones/", include("cosoc.elections.urls")),
]
