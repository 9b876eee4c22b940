from django.urls import path

from shopassist.customers.storefront import address_views, views

app_name = "customers"

urlpatterns = [
    path("customer/account/login/", views.login, name="login"),
    path("customer/account/logout/", views.logout, name="logout"),
    path("customer/account/create/", views.register, name="register"),
    path("customer/account/forgotpassword/", views.forgot_password, name="forgot_password"),
    path(
        "customer/account/resetpassword/<uidb64>/<token>/",
        views.reset_password,
        name="reset_password",
    ),
    path("customer/account/", views.account, name="account"),
    path("customer/account/edit/", views.account_edit, name="account_edit"),
    path("customer/address/", address_views.address_book, name="addresses"),
    path("customer/address/new/", address_views.address_edit, name="address_new"),
    path(
        "customer/address/<int:address_id>/edit/", address_views.address_edit, name="address_edit"
    ),
    path(
        "customer/address/<int:address_id>/delete/",
        address_views.address_delete,
        name="address_delete",
    ),
]
