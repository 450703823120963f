"""Settings shared by every environment. Every value is read from the environment here;
``dev`` and ``test`` adjust for convenience and ``production`` only tightens."""

from pathlib import Path
from urllib.parse import urlsplit

import django.conf.locale
import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    # The questionnaire builder: a section's questions with their options on one admin page.
    "nested_admin",
    # engine.richtext: the rich text editor in admin.
    "django_prose_editor",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # allauth's "open sessions" page loads the humanize tags.
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's form templates, found through TEMPLATES (FORM_RENDERER below) so the project can override them.
    "django.forms",
    "django_countries",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "allauth.usersessions",
    "participants",
    "participants.claveunica",
    "engine",
    "consultations",
    "transparency",
    "cosoc",
    "public_accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so static files carry the headers too.
    "csp.middleware.CSPMiddleware",
    "sermig_portal.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "participants.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An address without a language prefix goes to the reader's language: after the session and the user are
    # known, before the page cache could serve a cached Spanish page (sermig_portal/language.py).
    "sermig_portal.language.PreferredLanguageMiddleware",
    # Last, right before the view: anonymous pages shared by every process (sermig_portal/middleware.py).
    "sermig_portal.middleware.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "sermig_portal.urls"
# Forms render through TEMPLATES, so templates/django/forms/ overrides Django's widget templates (a select's
# options written in Python: engine/templatetags/engine_forms.py).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "sermig_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sermig_portal.context_processors.portal",
            ],
            # {% layout "header" %}…: the page's layout, kept in each process (sermig_portal/layout.py).
            "libraries": {"layout": "sermig_portal.layout"},
        },
    },
]

# --- Data ---------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Reusing connections matters: a new connection per request made a DB page 3.4x slower here.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # Parameters travel apart from the SQL (psycopg quotes nothing in Python) and a query run 5 times on a
    # connection is prepared, so PostgreSQL parses and plans it once: the 50 concurrent respondents of
    # bench/ got ~10% more requests through with it. Turn it off behind a pooler that cannot keep prepared
    # statements (PgBouncer in transaction mode before 1.21). The whole test suite runs with it on.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# Short socket timeouts: a portal page must never hang because Redis is unreachable.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down is a cache miss, never an error page (sermig_portal/cache.py); after a failure each
            # process leaves Redis alone for CACHE_RETRY_AFTER_SECONDS.
            "BACKEND": "sermig_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="sermig"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "retry_after": env.float("CACHE_RETRY_AFTER_SECONDS", default=10.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    # Every signed-in request reads its session: from Redis, with the database as the durable copy (read
    # instead whenever Redis is unreachable).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Anonymous visitors' pages, kept a few seconds and shared by every process (sermig_portal.middleware): in
# Redis beside the default cache (its own key prefix), a miss when Redis is down; in memory without Redis.
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-pages"}
else:
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
# The layout around every page (sermig_portal/layout.py): a few kilobytes per language and page, in each
# process's memory (a hit costs no network), the least recently used dropped past MAX_ENTRIES.
CACHES["layout"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "layout",
    "OPTIONS": {"MAX_ENTRIES": env.int("LAYOUT_CACHE_ENTRIES", default=2000)},
}
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=30)
CACHE_MIDDLEWARE_KEY_PREFIX = "page"
# Parts of pages that are the same for every reader (engine.fragments: the consultations index's list), kept
# as long as an anonymous page, so a signed-in reader sees a change as soon as a visitor does. 0: off.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=CACHE_MIDDLEWARE_SECONDS)

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker the tasks run in-process so the portal works with no Redis at all.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "max_retries": 1,
}
CELERY_TIMEZONE = "America/Santiago"
CELERY_BEAT_SCHEDULE: dict = {}

# --- Authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "participants.User"
# Django's and allauth's, reading the signed-in person's row with SQL compiled once (participants/backends.py).
AUTHENTICATION_BACKENDS = [
    "participants.backends.ModelBackend",
    "participants.backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "participants:profile"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn (offline): refuses what is long enough but easy to guess ("passwordpassword", "welcome12345").
    {"NAME": "participants.passwords.StrengthValidator", "OPTIONS": {"min_score": 3}},
]

# django-allauth: email is the login; many migrants have no RUN, so email accounts are the main door.
ACCOUNT_ADAPTER = "participants.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "participants.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "participants.forms.SignupForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# The same reply for known and unknown addresses at sign-up, login and password reset.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SERMIG] "
# Security notices (password, email address or second factor changed), in the portal's voice
# (participants/emails.py).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Failed logins, counted in the shared cache: 10 a minute from one client address, and 5 in 5 minutes for one
# account *from one address* (participants.adapters.AccountAdapter keys them on email + address). So nobody can
# lock a known (staff) email out from elsewhere; a guesser spread over many addresses still meets each
# address's limit, the strength validator and, for staff, the second factor.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# How many reverse proxies of ours append to X-Forwarded-For: the visitor's address is that many entries from
# its end; 0 trusts no header and uses the connection's address. Behind one proxy (nginx, a load balancer) set 1:
# with 0 there, every visitor shares the proxy's address and its per-address limits. Never more than the
# proxies you run: a client can write anything at the start of the header.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "SERMIG Participación"
# Groups whose members must use a second factor (staff always must); the COSOC app adds its members' group.
MFA_REQUIRED_GROUPS = env.list("MFA_REQUIRED_GROUPS", default=["COSOC members"])
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
# ClaveÚnica (the State's OpenID Connect login) is an extra door, enabled only when configured.
CLAVEUNICA_CLIENT_ID = env("CLAVEUNICA_CLIENT_ID", default="")
CLAVEUNICA_SECRET = env("CLAVEUNICA_SECRET", default="")
CLAVEUNICA_SERVER_URL = env("CLAVEUNICA_SERVER_URL", default="https://accounts.claveunica.gob.cl/openid")
SOCIALACCOUNT_PROVIDERS = {}
if CLAVEUNICA_CLIENT_ID and CLAVEUNICA_SECRET:
    SOCIALACCOUNT_PROVIDERS["claveunica"] = {
        "APPS": [
            {
                "provider_id": "claveunica",
                "name": "ClaveÚnica",
                "client_id": CLAVEUNICA_CLIENT_ID,
                "secret": CLAVEUNICA_SECRET,
                "settings": {"server_url": CLAVEUNICA_SERVER_URL},
            }
        ],
        "SCOPE": ["openid", "run", "name"],
        "OAUTH_PKCE_ENABLED": False,
    }
# How long a "download my data" link stays valid.
DATA_EXPORT_MAX_AGE = env.int("DATA_EXPORT_MAX_AGE", default=15 * 60)

# --- Languages ----------------------------------------------------------------------------
# Django has no Haitian Creole locale: declare it so get_language_info() and templates know it.
django.conf.locale.LANG_INFO["ht"] = {
    "bidi": False,
    "code": "ht",
    "name": "Haitian Creole",
    "name_local": "Kreyòl ayisyen",
}
LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", _("Español")),
    ("ht", _("Creole haitiano")),
    ("en", _("Inglés")),
]
# A mechanism app keeps its own catalogues in <app>/locale (docs/mechanism-app.md); they come first so that
# makemessages writes each app's strings there. Strings elsewhere go to the project's locale/.
LOCALE_PATHS = [
    BASE_DIR / "cosoc" / "elections" / "locale",  # the COSOC elections' own catalogues (before cosoc's)
    *(BASE_DIR / app / "locale" for app in INSTALLED_APPS if (BASE_DIR / app / "locale").is_dir()),
    BASE_DIR / "locale",
]
FORMAT_MODULE_PATH = ["sermig_portal.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="America/Santiago")

MODELTRANSLATION_DEFAULT_LANGUAGE = "es"
MODELTRANSLATION_LANGUAGES = ("es", "ht", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("es",)
# The admin's language tabs need jQuery UI: from our own static files, as the CSP allows no other origin
# (modeltranslation's default is a CDN over http:). modeltranslation reads this name, without a prefix.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# ISO 3166 has no code for these answers; ZZ and XX are the user-assigned codes CLDR and ICAO use.
COUNTRIES_OVERRIDE = {
    "XX": _("Persona apátrida"),
    "ZZ": _("Prefiero no decirlo"),
}
# The most frequent nationalities first; no separator line: it would be the select's first, empty choice
# (participants.models.Participant.nationality has a "choose a country" label instead).
COUNTRIES_FIRST = ["VE", "PE", "CO", "HT", "BO", "AR", "EC", "CL"]

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads (engine.files): no URL serves MEDIA_ROOT, in development either; each app's view checks who may see
# a file and streams it. Types are recognised by their content (and the extension must agree); a field may
# allow fewer. Stored files are readable by the portal's own user only.
UPLOAD_ALLOWED_TYPES = env.list(
    "UPLOAD_ALLOWED_TYPES", default=["pdf", "xlsx", "csv", "docx", "odt", "ods", "png", "jpeg"]
)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Office files are zips: refused when they would expand past these (declared sizes, nothing is extracted).
UPLOAD_ZIP_MAX_ENTRIES = 10_000
UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
UPLOAD_ZIP_MAX_RATIO = 200  # per part larger than 1 MB
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# The organisation registry's supporting documents (participants.organizations): PDF or images, this size at most.
REGISTRY_DOCUMENT_MAX_BYTES = env.int("REGISTRY_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Accredited organisations per page of the public list.
REGISTRY_PAGE_SIZE = 20
# COSOC elections (cosoc.elections): candidacies an organisation may put forward; the phases move by their dates.
COSOC_CANDIDACIES_PER_ORGANIZATION = env.int("COSOC_CANDIDACIES_PER_ORGANIZATION", default=2)
# Every minute, so a phase closing at 18:00 closes then (the sweep is a few indexed queries).
CELERY_BEAT_SCHEDULE["cosoc-election-phases"] = {"task": "cosoc.elections.phases_sweep", "schedule": 60}

# --- Email --------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Participación SERMIG <participacion@serviciomigraciones.cl>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security defaults (production tightens further) --------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) on every page, admin included: our own files only, no inline script or
# style. Forms post to ourselves, and to ClaveÚnica when it is on (Chromium checks a form's redirects too).
_claveunica = urlsplit(CLAVEUNICA_SERVER_URL)
_form_action = [SELF, *([f"{_claveunica.scheme}://{_claveunica.netloc}"] if SOCIALACCOUNT_PROVIDERS else [])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": _form_action,
    },
}
# sermig_portal.security.SecurityHeadersMiddleware: no page may use these browser features, and no other site
# may embed our files (pages, static files, downloads).
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# --- Logging ------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "sermig_portal.logging.RedactSensitiveFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        # SQL would carry participant attributes; never log it outside explicit debugging.
        "django.db.backends": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}

# --- Consultations -------------------------------------------------------------------------
# How long the one-time link of a respondent without an account stays valid.
CONSULTATION_LINK_MAX_AGE = env.int("CONSULTATION_LINK_MAX_AGE", default=24 * 60 * 60)
CELERY_BEAT_SCHEDULE.update(
    {
        # Consultations open and close by their dates; this notices each change once and notifies.
        "consultations-phases": {"task": "consultations.phases_sweep", "schedule": 5 * 60},
        "consultations-draft-reminders": {"task": "consultations.draft_reminders", "schedule": 60 * 60},
        # Results whose refresh was lost (broker or Redis down) are computed again.
        "consultations-results-refresh": {"task": "consultations.results_refresh_sweep", "schedule": 5 * 60},
    }
)

# --- COSOC ---------------------------------------------------------------------------------
# The council's quorum rule, seats and terms are admin fields (cosoc.Council, cosoc.Term), not settings.
# Public parts of COSOC pages are rendered once per change and kept this long (cosoc/fragments.py); 0: never.
COSOC_FRAGMENT_CACHE_SECONDS = env.int("COSOC_FRAGMENT_CACHE_SECONDS", default=600)
CELERY_BEAT_SCHEDULE.update(
    {
        # Seats of a term that ended are closed, so their holders leave the "COSOC members" group.
        "cosoc-memberships": {"task": "cosoc.memberships_sync", "schedule": 60 * 60},
    }
)

# --- Public accounts -----------------------------------------------------------------------
# No public text gives SERMIG's answer deadline: the default days after the questions close (each account
# may change it), the longest question, the one-time link's life and the reminder's notice.
PUBLIC_ACCOUNT_ANSWER_DAYS = env.int("PUBLIC_ACCOUNT_ANSWER_DAYS", default=28)
PUBLIC_ACCOUNT_QUESTION_MAX_LENGTH = env.int("PUBLIC_ACCOUNT_QUESTION_MAX_LENGTH", default=2000)
PUBLIC_ACCOUNT_LINK_MAX_AGE = env.int("PUBLIC_ACCOUNT_LINK_MAX_AGE", default=24 * 60 * 60)
PUBLIC_ACCOUNT_REMINDER_DAYS = env.int("PUBLIC_ACCOUNT_REMINDER_DAYS", default=3)
PUBLIC_ACCOUNT_QUESTIONS_PER_PAGE = env.int("PUBLIC_ACCOUNT_QUESTIONS_PER_PAGE", default=20)
CELERY_BEAT_SCHEDULE.update(
    {
        # Phases move by their dates; this notices each change once, notifies and reindexes.
        "public-accounts-phases": {"task": "public_accounts.phases_sweep", "schedule": 5 * 60},
        # Answering units hear of questions due soon and overdue, once a day.
        "public-accounts-reminders": {"task": "public_accounts.deadline_reminders", "schedule": 24 * 60 * 60},
    }
)

# --- Portal -------------------------------------------------------------------------------
# The address people reach the portal at: every email links there. Production requires it; elsewhere it is
# the development server's (make run serves on 127.0.0.1:$PORT).
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")
# Registered only when set: a bare "ok" view the bench compares every page against.
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)
# The home page's "open now" block is the same for everyone: rebuilt at most this often.
OPEN_NOW_CACHE_SECONDS = env.int("OPEN_NOW_CACHE_SECONDS", default=60)
# The home page's "what's new" list (engine.whats_new): how many items, cached as long as "open now".
WHATS_NEW_LIMIT = env.int("WHATS_NEW_LIMIT", default=6)
# A consultation's published results are the same for everyone: computed in Celery after what changes them
# (new responses, dialogue input, moderation), every language in one pass, at most once per
# RESULTS_REFRESH_SECONDS per consultation; readers get the last copy at once (consultations/results.py),
# from the shared cache (kept this long) or the database. 0: computed on every view (tests, debugging).
RESULTS_CACHE_SECONDS = env.int("RESULTS_CACHE_SECONDS", default=300)
RESULTS_REFRESH_SECONDS = env.int("RESULTS_REFRESH_SECONDS", default=60)
# One computation at a time per consultation (a lock in Redis); a run that dies frees it after this long.
RESULTS_LOCK_SECONDS = env.int("RESULTS_LOCK_SECONDS", default=10 * 60)
# A page of search results is the same for every reader in a language: kept this long in the shared cache,
# under the index version that every publish, edit and unpublish changes (engine.search). 0: off.
SEARCH_CACHE_SECONDS = env.int("SEARCH_CACHE_SECONDS", default=300)
# --- Relevant information (transparency) -----------------------------------------------------------
TRANSPARENCY_PAGE_SIZE = env.int("TRANSPARENCY_PAGE_SIZE", default=20)
TRANSPARENCY_FEED_ITEMS = env.int("TRANSPARENCY_FEED_ITEMS", default=50)
# The art. 7 items of Law 20.285 (active transparency) live on the State's portal, not here: linked from
# /informacion/.
TRANSPARENCY_ACTIVE_TRANSPARENCY_URL = env(
    "TRANSPARENCY_ACTIVE_TRANSPARENCY_URL",
    default="https://www.portaltransparencia.cl/PortalPdT/directorio/?org=AB088",
)
# The footer's social channels (admin-managed) are read at most this often.
TRANSPARENCY_CHANNELS_CACHE_SECONDS = env.int("TRANSPARENCY_CHANNELS_CACHE_SECONDS", default=300)
# Every open dataset (engine.opendata) is published under this licence.
OPEN_DATA_LICENCE_NAME = env("OPEN_DATA_LICENCE_NAME", default="Creative Commons Atribución 4.0 (CC BY 4.0)")
OPEN_DATA_LICENCE_URL = env(
    "OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/deed.es"
)

# --- Engine -------------------------------------------------------------------------------
from celery.schedules import crontab  # noqa: E402  (kept with the only section that uses it)

# Small-cell suppression (DESIGN.md §2): counts from 1 to k-1 are hidden; k is higher when a table uses a
# sensitive attribute (Law 21.719).
ENGINE_SUPPRESSION_K = env.int("ENGINE_SUPPRESSION_K", default=5)
ENGINE_SUPPRESSION_K_SENSITIVE = env.int("ENGINE_SUPPRESSION_K_SENSITIVE", default=10)
# Absolute links in emails (unsubscribe, buttons) start with this.
ENGINE_SITE_URL = SITE_URL
ENGINE_NOTIFICATION_BATCH_SIZE = env.int("ENGINE_NOTIFICATION_BATCH_SIZE", default=500)
# A few emails at a time wait this long and go out together (engine.notifications.services._enqueue_sending):
# 0 sends each at once.
ENGINE_NOTIFICATION_GATHER_SECONDS = env.int("ENGINE_NOTIFICATION_GATHER_SECONDS", default=2)
# Sent rows are marked in groups this size: a worker crash can repeat at most one group.
ENGINE_NOTIFICATION_MARK_SENT_EVERY = 50
ENGINE_NOTIFICATION_MAX_ATTEMPTS = env.int("ENGINE_NOTIFICATION_MAX_ATTEMPTS", default=8)
ENGINE_NOTIFICATION_RETRY_BASE_SECONDS = 60
# A row claimed longer ago than this belongs to a dead worker and is sent again.
ENGINE_NOTIFICATION_STALE_AFTER_SECONDS = 15 * 60
ENGINE_NOTIFICATION_SWEEP_BATCHES = 20
# After the broker refused a task, skip it for this long (the sweep sends what waits).
ENGINE_BROKER_BACKOFF_SECONDS = 30
ENGINE_REPORT_LINK_MAX_AGE = env.int("ENGINE_REPORT_LINK_MAX_AGE", default=60 * 60)
# Unsubscribe links never expire; new ones carry this version, and the versions listed as revoked stop working
# (tokens made before versions existed are version 0). To revoke every link sent so far: raise the version and
# list the old ones.
ENGINE_UNSUBSCRIBE_TOKEN_VERSION = env.int("ENGINE_UNSUBSCRIBE_TOKEN_VERSION", default=1)
ENGINE_UNSUBSCRIBE_REVOKED_VERSIONS = frozenset(
    env.list("ENGINE_UNSUBSCRIBE_REVOKED_VERSIONS", cast=int, default=[])
)
if ENGINE_UNSUBSCRIBE_TOKEN_VERSION in ENGINE_UNSUBSCRIBE_REVOKED_VERSIONS:
    from django.core.exceptions import ImproperlyConfigured  # only this refusal uses it

    raise ImproperlyConfigured("ENGINE_UNSUBSCRIBE_TOKEN_VERSION is revoked: new links would not work")
ENGINE_REPORT_REQUEUE_AFTER = 5 * 60
ENGINE_REPORT_TIMEOUT = 60 * 60
# Kombu sleeps 2 s before retrying a failed connection by default; a submission must not wait for that.
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "interval_start": 0, "interval_step": 0}
CELERY_BEAT_SCHEDULE.update(
    {
        "engine-notifications-sweep": {"task": "engine.tasks.notifications_sweep_task", "schedule": 60.0},
        "engine-weekly-digests": {
            "task": "engine.tasks.digests_build_task",
            "schedule": crontab(minute=0, hour=9, day_of_week="monday"),
        },
    }
)
# WeasyPrint narrates every layout step at INFO; only its warnings belong in the logs.
LOGGING["loggers"]["weasyprint"] = {"handlers": ["stdout"], "level": "WARNING", "propagate": False}
LOGGING["loggers"]["fontTools"] = {"handlers": ["stdout"], "level": "WARNING", "propagate": False}
