"""Resolve the storefront's store view from the URL prefix and activate its locale."""

from django.http import Http404, HttpResponseRedirect
from django.utils import translation

from shopassist.core.areas import STOREFRONT
from shopassist.stores.selectors import default_store_view, store_view_by_code
from shopassist.stores.urls import store_reverse


class StoreViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.store_view = None
        if request.area == STOREFRONT:
            if request.path_info == "/":
                view = default_store_view()
                if view is None:
                    raise Http404("No active store view.")
                return HttpResponseRedirect(store_reverse("storefront:home", store_view=view))
            code = request.path_info.split("/", 2)[1]
            request.store_view = store_view_by_code(code)
        if request.store_view is not None:
            language = request.store_view.locale
        else:
            language = translation.get_language_from_request(request)
        # override(): the language is the request's own and never leaks into the thread.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "store_code" in view_kwargs:
            if request.store_view is None:
                raise Http404("Unknown store view.")
            del view_kwargs["store_code"]
        return None
