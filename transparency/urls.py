from django.urls import path

from transparency import feeds, opendata_views, views

app_name = "transparency"

urlpatterns = [
    path("", views.index, name="index"),
    path("revision/", views.review, name="review"),
    path("seguir/<str:type>/", views.follow_type, name="follow-type"),
    path("rss/", feeds.PublicationsRss(), name="feed-rss"),
    path("atom/", feeds.PublicationsAtom(), name="feed-atom"),
    path("rss/<str:type>/", feeds.PublicationsRss(), name="feed-rss-type"),
    path("atom/<str:type>/", feeds.PublicationsAtom(), name="feed-atom-type"),
    path("datos/", opendata_views.dictionary, name="open-data"),
    path("datos/<slug:slug>.<str:fmt>", opendata_views.download, name="open-data-file"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/versiones/<int:number>/", views.version, name="version"),
    path("<slug:slug>/adjuntos/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:slug>/presupuesto.<str:fmt>", views.budget_download, name="budget"),
]
