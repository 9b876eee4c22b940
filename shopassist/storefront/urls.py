"""Every storefront URL, below the store view prefix (``/<store_code>/...``)."""

from django.urls import include, path

from shopassist.catalog.storefront import views as catalog_views

storefront_patterns = ([path("", catalog_views.home, name="home")], "storefront")

urlpatterns = [
    path("", include(storefront_patterns)),
    path("", include("shopassist.catalog.storefront.urls")),
    path("", include("shopassist.cart.storefront.urls")),
    path("", include("shopassist.checkout.storefront.urls")),
    path("", include("shopassist.sales.storefront.urls")),
    path("", include("shopassist.customers.storefront.urls")),
    path("", include("shopassist.login_as_customer.storefront.urls")),
]
