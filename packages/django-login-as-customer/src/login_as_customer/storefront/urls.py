from django.urls import path

from login_as_customer.storefront import history_views, views

app_name = "login_as_customer"

urlpatterns = [
    path("login_as_customer/redeem/", views.redeem, name="redeem"),
    path("login_as_customer/close/", views.close, name="close"),
    path("login_as_customer/notice/dismiss/", views.dismiss_notice, name="dismiss_notice"),
    path(
        "customer/assisted-sessions/",
        history_views.assisted_sessions,
        name="assisted_sessions",
    ),
    path("customer/assistance-consent/", history_views.consent, name="consent"),
    path(
        "customer/assisted-sessions/code/",
        history_views.assistance_code,
        name="assistance_code",
    ),
    path(
        "customer/assisted-sessions/end/",
        history_views.end_assisted_sessions,
        name="end_assisted_sessions",
    ),
    path(
        "customer/assisted-sessions/revoke/",
        history_views.revoke_consent,
        name="revoke_consent",
    ),
]
