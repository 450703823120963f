"""``{% account_menu_links as links %}``: the links other apps add to the "Mi cuenta" menu
(``participants.account_menu``)."""

from django import template

from participants import account_menu

register = template.Library()


@register.simple_tag
def account_menu_links() -> list[dict]:
    return account_menu.links()
