"""Read websites and store views.

Store views are read on every storefront request, so each process keeps them in memory and
reloads when the configuration version changes (saving a store view publishes a new one).
"""

from __future__ import annotations

from shopassist.core.config import config
from shopassist.stores.models import StoreView, Website

_memo: dict = {"version": None, "views": []}


def _all_store_views() -> list[StoreView]:
    version = config.current_version_cached()
    if _memo["version"] != version:
        _memo["views"] = list(
            StoreView.objects.select_related("store__website").order_by(
                "store__website__sort_order", "store__website_id", "sort_order", "id"
            )
        )
        _memo["version"] = version
    return _memo["views"]


def store_view_names() -> dict[str, str]:
    """Store view code → name, of every store view (inactive ones too: logs name them)."""
    return {view.code: view.name for view in _all_store_views()}


def active_store_views() -> list[StoreView]:
    return [view for view in _all_store_views() if view.is_active]


def store_view_by_code(code: str) -> StoreView | None:
    return next((view for view in active_store_views() if view.code == code), None)


def default_website() -> Website | None:
    return Website.objects.filter(is_default=True).first() or Website.objects.first()


def default_store_view() -> StoreView | None:
    website = default_website()
    view = website.default_store_view() if website else None
    if view is None or not view.is_active:
        views = active_store_views()
        view = views[0] if views else None
    return view


def websites_of_store_views() -> dict[int, int]:
    """Each store view's website (store view id -> website id): the configuration's scope
    tree, read at each reload of the configuration."""
    return dict(StoreView.objects.values_list("id", "store__website_id"))
