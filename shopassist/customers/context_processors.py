from shopassist.customers.account_menu import account_links
from shopassist.stores.urls import store_reverse


def account_menu(request):
    if getattr(request, "store_view", None) is None or not request.customer:
        return {}
    return {
        "account_menu": [
            {
                "title": link.title,
                "url": (url := store_reverse(link.url_name, store_view=request.store_view)),
                "current": request.path == url,
            }
            for link in account_links()
        ]
    }
