"""Links other apps add to the "Mi cuenta" menu: their own "my …" pages (a person's questions in the public
account, say). participants never imports them: they register here, from their ``hooks.py``::

    from django.utils.translation import gettext_lazy

    from participants import account_menu

    account_menu.register("public_accounts:my-questions", gettext_lazy("Mis preguntas de la cuenta pública"))

The menu (``templates/participants/_account_nav.html``) shows them after the account's own pages, in the
order they were registered, with ``aria-current`` on the page being read. A link is for every signed-in
person: the page it opens says when there is nothing yet. No query: the labels are lazy and the address is
reversed per request, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str | Promise


_links: dict[str, Link] = {}


def register(url_name: str, label: str | Promise) -> None:
    """Add (or replace) the menu's link to ``url_name``, a URL without arguments."""
    _links[url_name] = Link(url_name, label)


def unregister(url_name: str) -> None:
    _links.pop(url_name, None)


def links() -> list[dict]:
    """The registered links as the menu shows them: ``url`` and ``label``."""
    return [{"url": reverse(link.url_name), "label": link.label} for link in _links.values()]
