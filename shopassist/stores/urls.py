"""Storefront URLs carry the store view code as their first segment."""

from django.urls import reverse


def store_reverse(viewname: str, *, store_view, args=None, kwargs=None) -> str:
    return reverse(viewname, args=args, kwargs={"store_code": store_view.code, **(kwargs or {})})


def switch_store_view_path(path: str, current_code: str, target_code: str) -> str:
    """The same page in another store view: replace the first path segment."""
    prefix = f"/{current_code}/"
    rest = path[len(prefix) :] if path.startswith(prefix) else ""
    return f"/{target_code}/{rest}"
