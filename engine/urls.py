from django.urls import path

from engine import views

app_name = "engine"

urlpatterns = [
    path("", views.subscriptions, name="subscriptions"),
    path("baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("reportes/nuevo/", views.report_new, name="report-new"),
    path("reportes/nuevo/<slug:kind>/", views.report_start, name="report-start"),
    path("reportes/<int:pk>/", views.report_detail, name="report-detail"),
    path("reportes/<int:pk>/descargar/<str:token>/", views.report_download, name="report-download"),
    path("reportes/<int:pk>/publicar/", views.report_publish, name="report-publish"),
]
