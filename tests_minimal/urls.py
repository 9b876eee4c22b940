from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def page(request):
    """A storefront page: the banner goes in after its <body>."""
    who = request.user.get_username() if request.user.is_authenticated else "guest"
    html = f"<!doctype html><html><body><h1>Shop</h1><p id='who'>{who}</p></body></html>"
    return HttpResponse(html)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("login_as_customer.storefront.urls")),
    path("account/", page, name="account"),
    path("", page, name="home"),
]
