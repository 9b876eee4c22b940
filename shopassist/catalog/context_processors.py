from django.utils.functional import SimpleLazyObject

from shopassist.catalog.cache_tags import CATALOG
from shopassist.catalog.selectors import active_categories
from shopassist.core.cache_tags import depends_on


def category_nav(request):
    store_view = getattr(request, "store_view", None)
    if store_view is None:
        return {}

    def categories():
        depends_on(request, CATALOG)  # the menu is part of every cached page
        return active_categories(store_view)

    return {"nav_categories": SimpleLazyObject(categories)}
