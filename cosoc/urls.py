from django.urls import path

from cosoc import views

app_name = "cosoc"

urlpatterns = [
    path("", views.index, name="index"),
    path("sesiones/", views.sessions, name="sessions"),
    path("sesiones.ics", views.sessions_ical, name="sessions-ical"),
    path("sesiones/<int:pk>/", views.session, name="session"),
    path("sesiones/<int:pk>/sesion.ics", views.session_ical, name="session-ical"),
    path("sesiones/<int:pk>/seguir/", views.follow, name="follow"),
    path("sesiones/<int:pk>/revision/", views.review, name="review"),
    path("sesiones/<int:pk>/revision/observar/", views.observe, name="observe"),
    path("sesiones/<int:pk>/acta/", views.minutes, name="minutes"),
    path("sesiones/<int:pk>/acta.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("documentos/<int:pk>/", views.document, name="document"),
    path("acuerdos/", views.agreements, name="agreements"),
    path("acuerdos/acuerdos.<str:fmt>", views.agreements_export, name="agreements-export"),
]
