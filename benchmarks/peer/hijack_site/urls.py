from django.contrib import admin
from django.urls import include, path

from hijack_site import views

# The page links to the same places as ours (reversed by name, as our templates do); only the
# account page is requested, so every name leads to it.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("hijack/", include("hijack.urls")),
    path("customer/account/", views.account, name="account"),
    path("customer/account/logout/", views.account, name="logout"),
    path("customer/account/edit/", views.account, name="account_edit"),
    path("customer/address/", views.account, name="address_book"),
    path("sales/order/history/", views.account, name="order_history"),
    path("customer/assisted-sessions/", views.account, name="assisted_sessions"),
    path("checkout/cart/", views.account, name="cart"),
    path("catalogsearch/", views.account, name="search"),
    path("category/<slug:code>/", views.account, name="category"),
    path("", views.account, name="home"),
]
