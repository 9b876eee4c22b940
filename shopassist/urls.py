from django.http import HttpResponse
from django.urls import include, path

from shopassist.admin_panel.site import admin_site
from shopassist.api.api import api


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin_site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("<slug:store_code>/", include("shopassist.storefront.urls")),
]
