from django.urls import path

from shopassist.checkout.storefront import views

app_name = "checkout"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/onepage/success/", views.success, name="success"),
]
