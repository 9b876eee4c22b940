from django.utils.functional import SimpleLazyObject

from shopassist.catalog.selectors import active_categories


def category_nav(request):
    store_view = getattr(request, "store_view", None)
    if store_view is None:
        return {}
    return {"nav_categories": SimpleLazyObject(lambda: active_categories(store_view))}
