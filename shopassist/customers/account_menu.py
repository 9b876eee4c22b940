"""The My Account navigation: apps add their pages (orders, address book, …) here."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AccountLink:
    title: str
    url_name: str
    sort_order: int = 100


_links: list[AccountLink] = [
    AccountLink(_("My Account"), "customers:account", 10),
    AccountLink(_("Account Information"), "customers:account_edit", 50),
    AccountLink(_("Address Book"), "customers:addresses", 40),
]


def register_account_link(link: AccountLink) -> None:
    _links.append(link)
    _links.sort(key=lambda item: item.sort_order)


def account_links() -> list[AccountLink]:
    return sorted(_links, key=lambda item: item.sort_order)
