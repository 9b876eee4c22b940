"""The admin navigation, declared in code: top sections in seed order, entries from each app.

Every entry names its ACL resource; the menu shows only what the user may open, and the pages
themselves check the same resource on the server.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import has_resource


@dataclass
class MenuEntry:
    title: str
    url_name: str
    resource: str
    group: str = ""  # sub-heading inside the section, e.g. "Settings"
    sort_order: int = 100
    visible: callable = None  # extra condition, e.g. a feature switch


@dataclass
class MenuSection:
    id: str
    title: str
    entries: list[MenuEntry] = field(default_factory=list)


SECTIONS: dict[str, MenuSection] = {
    section.id: section
    for section in (
        MenuSection("customers", _("Customers")),
        MenuSection("sales", _("Sales")),
        MenuSection("catalog", _("Catalog")),
        MenuSection("stores", _("Stores")),
        MenuSection("system", _("System")),
    )
}


def add_entry(section_id: str, entry: MenuEntry) -> None:
    SECTIONS[section_id].entries.append(entry)
    SECTIONS[section_id].entries.sort(key=lambda e: e.sort_order)


def menu_for(user) -> list[dict]:
    """The sections and entries this user may open, with URLs."""
    result = []
    for section in SECTIONS.values():
        entries = []
        for entry in section.entries:
            if not has_resource(user, entry.resource):
                continue
            if entry.visible is not None and not entry.visible():
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            entries.append({"title": entry.title, "url": url, "group": entry.group})
        if entries:
            result.append({"id": section.id, "title": section.title, "entries": entries})
    return result
