"""What the site-wide search and the sitemap know of public accounts: accounts whose summary is public, by
this app's rule (``permissions.accounts_visible_to(ANONYMOUS)``). The phase sweep reindexes an account when its
phase changes (its summary coming out by date sends no signal)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy

from engine import search, sitemaps
from engine.models import Mechanism
from public_accounts import permissions
from public_accounts.models import Commitment, PublicAccount, Section


class AccountSearch(search.Provider):
    model = PublicAccount
    mechanism = Mechanism.PUBLIC_ACCOUNT
    kind = "public-account"
    label = gettext_lazy("Cuenta pública")
    summary_field = "summary"

    def queryset(self) -> QuerySet[PublicAccount]:
        return permissions.accounts_visible_to(permissions.ANONYMOUS).prefetch_related("sections")

    def body(self, obj: PublicAccount) -> str:
        return "\n\n".join(f"{s.title}\n{strip_tags(s.body)}" for s in obj.sections.all())

    def affected(self, obj) -> Iterable[int] | None:
        if isinstance(obj, Section | Commitment):
            return [obj.account_id]
        return super().affected(obj)


ACCOUNTS = AccountSearch()


def register() -> None:
    search.register(ACCOUNTS)
    search.watch(PublicAccount, Section)
    sitemaps.register("public-accounts-pages", sitemaps.PagesSitemap(["public_accounts:index"]))
    sitemaps.register("public-accounts", sitemaps.ProviderSitemap(ACCOUNTS))
