from shopassist.stores.selectors import active_store_views
from shopassist.stores.urls import switch_store_view_path


def store_view(request):
    current = getattr(request, "store_view", None)
    if current is None:
        return {"store_view": None}
    switcher = [
        {
            "view": view,
            "url": switch_store_view_path(request.path, current.code, view.code),
            "current": view.pk == current.pk,
        }
        for view in active_store_views()
        if view.store.website_id == current.store.website_id
    ]
    return {"store_view": current, "website": current.store.website, "store_switcher": switcher}
