"""Every storefront URL, below the store view prefix (``/<store_code>/...``)."""

from django.urls import include, path

from shopassist.storefront import views

storefront_patterns = (
    [path("", views.home, name="home")],
    "storefront",
)

urlpatterns = [
    path("", include(storefront_patterns)),
    path("", include("shopassist.customers.storefront.urls")),
]
