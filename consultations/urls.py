from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.index, name="index"),
    path("dialogos.ics", views.dialogues_ical, name="dialogues-ical"),
    path("plan/<int:year>/", views.plan, name="plan"),
    path("plan/<int:year>/documento/", views.plan_document, name="plan-document"),
    path("propuestas/<int:pk>/", views.proposal_call, name="proposal-call"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/seguir/", views.follow, name="follow"),
    path("<slug:slug>/documentos/<int:pk>/", views.document_file, name="document"),
    path("<slug:slug>/continuar/", views.resume, name="resume"),
    path("<slug:slug>/responder/<int:step>/", views.answer, name="answer"),
    path("<slug:slug>/revisar/", views.review, name="review"),
    path("<slug:slug>/gracias/", views.thanks, name="thanks"),
    path("<slug:slug>/sin-cuenta/", views.anonymous_start, name="anonymous-start"),
    path("<slug:slug>/sin-cuenta/<uuid:nonce>/", views.anonymous_confirm, name="anonymous-confirm"),
    path("<slug:slug>/resultados/", views.results, name="results"),
    path("<slug:slug>/resultados/informe.<str:fmt>", views.published_report, name="published-report"),
    path("<slug:slug>/asistida/", views.assisted, name="assisted"),
]
