""" "Disable Page Cache for Admin User" (SPEC §2): how assisted requests use the shared page cache.

Yes (default): an assisted request neither reads nor writes it — the administrator sees the
page as it is now. No: it reads it as the customer would (same store view, same price context)
and a miss is rendered for the administrator without being stored. Either way its response is
``private, no-store`` and carries the banner (``AssistedSessionMiddleware``), which is added
after the page cache has answered and so is never part of a stored page.
"""

from login_as_customer.config import DISABLE_PAGE_CACHE, setting
from login_as_customer.host import host

BYPASS, READ_ONLY = "bypass", "read_only"


def page_cache_use(request) -> str | None:
    """How the host's page cache serves this request: ``BYPASS`` (neither read nor written),
    ``READ_ONLY`` (read, a miss not stored), or None for a request outside an assisted session.
    A host with a page cache asks this before it serves a page (docs/host-interface.md)."""
    if getattr(request, "assisted_session", None) is None:
        return None
    if setting(DISABLE_PAGE_CACHE, store_view=host().current_store_view(request)):
        return BYPASS
    return READ_ONLY
