from django.urls import path

from public_accounts import views

app_name = "public_accounts"

urlpatterns = [
    path("", views.index, name="index"),
    path("presentaciones.ics", views.presentations_ical, name="ical"),
    path("mis-preguntas/", views.my_questions, name="my-questions"),
    path("<int:year>/", views.detail, name="detail"),
    path("<int:year>/seguir/", views.follow, name="follow"),
    path("<int:year>/preguntar/", views.ask, name="ask"),
    path("<int:year>/sin-cuenta/", views.email_start, name="email-start"),
    path("<int:year>/sin-cuenta/<uuid:nonce>/", views.email_confirm, name="email-confirm"),
    path("<int:year>/preguntas/<int:pk>/", views.question, name="question"),
    path("<int:year>/respuestas/", views.answers, name="answers"),
    path("<int:year>/respuestas/<int:version>.pdf", views.answers_pdf, name="answers-pdf"),
    path("<int:year>/presupuesto.<str:fmt>", views.budget, name="budget"),
    path("<int:year>/documentos/<int:pk>/", views.attachment, name="attachment"),
    path("<int:year>/observaciones-cosoc/", views.cosoc_document, name="cosoc-document"),
    path("<int:year>/presencial/", views.in_person, name="in-person"),
]
