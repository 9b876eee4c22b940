from django.urls import path

from shopassist.cart.storefront import views

app_name = "cart"

urlpatterns = [
    path("checkout/cart/", views.cart, name="cart"),
    path("checkout/cart/add/", views.add, name="add"),
    path("checkout/cart/update/", views.update, name="update"),
    path("checkout/cart/remove/", views.remove, name="remove"),
]
