from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from engine import sitemaps
from engine import views as engine_views
from engine.search import views as search_views
from sermig_portal import language, views

admin.site.site_header = _("Participación ciudadana SERMIG — administración")
admin.site.site_title = _("Participación SERMIG")
admin.site.index_title = _("Administración del portal")
# Staff sign in through allauth, so the admin login is throttled and asks for the second factor too.
admin.site.login = secure_admin_login(admin.site.login)

# The portal's own pages; each mechanism app registers its pages and public objects in its AppConfig.ready().
sitemaps.register("portal", sitemaps.PagesSitemap(["home", "public-account"]))

urlpatterns = [
    path("salud/", views.health, name="health"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("idioma/<str:language>/", language.language_choose, name="language-choose"),
    path("admin/", admin.site.urls),
]

# Spanish, the default, has no prefix; /ht/… and /en/… serve the other languages.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("informacion/", include("transparency.urls")),
    path("cosoc/", include("cosoc.urls")),
    path("cuenta-publica/", views.mechanism_page, {"mechanism": "public_account"}, name="public-account"),
    path("consultas/", include("consultations.urls")),
    path("cuenta/", include("participants.urls")),
    path("cuenta/", include("allauth.urls")),
    path("avisos/", include("engine.urls")),
    path("buscar/", search_views.search, name="search"),
    path("paginas/<slug:slug>/", engine_views.page_detail, name="page"),
    prefix_default_language=False,
)

if settings.BENCH_VIEWS:
    urlpatterns.insert(0, path("bench/ok/", views.bench_ok, name="bench-ok"))
