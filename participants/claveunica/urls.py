from django.urls import include, path

from participants.claveunica import views

urlpatterns = [
    path(
        "claveunica/<str:provider_id>/",
        include(
            [
                path("login/", views.login, name="claveunica_login"),
                path("login/callback/", views.callback, name="claveunica_callback"),
            ]
        ),
    )
]
