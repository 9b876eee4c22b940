from django.urls import path

from shopassist.login_as_customer.storefront import views

app_name = "login_as_customer"

urlpatterns = [
    path("login_as_customer/redeem/", views.redeem, name="redeem"),
    path("login_as_customer/close/", views.close, name="close"),
]
