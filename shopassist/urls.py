from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path

from shopassist.admin_panel.site import admin_site
from shopassist.api.api import urls as api_urls
from shopassist.catalog.storefront import views as catalog_views
from shopassist.storefront.media_views import media_file


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


# Every storefront URL, below the store view prefix (``/<store_code>/...``): composed here, where
# every app may be named, so the storefront app itself imports none of the apps it serves.
storefront_urls = [
    path("", include(([path("", catalog_views.home, name="home")], "storefront"))),
    path("", include("shopassist.catalog.storefront.urls")),
    path("", include("shopassist.cart.storefront.urls")),
    path("", include("shopassist.checkout.storefront.urls")),
    path("", include("shopassist.sales.storefront.urls")),
    path("", include("shopassist.customers.storefront.urls")),
    path("", include("login_as_customer.storefront.urls")),
]

urlpatterns = [
    path("admin/", admin_site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api_urls()),
    # Before the store views: "media" is no store view code.
    path(settings.MEDIA_URL.strip("/") + "/<path:path>", media_file, name="media"),
    path("<slug:store_code>/", include(storefront_urls)),
]

# Each area's own error pages (shopassist/error_handlers.py).
handler400 = "shopassist.error_handlers.bad_request"
handler403 = "shopassist.error_handlers.forbidden"
handler404 = "shopassist.error_handlers.not_found"
handler500 = "shopassist.error_handlers.server_error"
