"""The customer's own sign-in through django.contrib.auth tells them of the assisted sessions
on their account (``flows/notice``), for hosts whose customers sign in that way (the default
host, django-oscar). A redemption never sends ``user_logged_in``; a sign-in to the admin area
is not a customer's. A sign-in in the browser of an assisted session is no one's: refused
first (``sign_in_guard``), before anyone is told or anything else hears of it."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from login_as_customer.flows import notice
from login_as_customer.host import STOREFRONT, host
from login_as_customer.integrations.sign_in_guard import refuse_sign_in


# Connected before ``tell_the_customer``: a refused sign-in marks no session told.
@receiver(user_logged_in, dispatch_uid="login_as_customer.sign_in_guard")
def refuse_sign_in_during_assisted_session(sender, request, user, **kwargs):
    refuse_sign_in(request)


@receiver(user_logged_in, dispatch_uid="login_as_customer.customer_sign_in")
def tell_the_customer(sender, request, user, **kwargs):
    the_host = host()
    if not the_host.customers_sign_in_with_django_auth or request is None:
        return
    if the_host.area_of(request) != STOREFRONT or getattr(user, "is_staff", False):
        return
    notice.customer_signed_in(request, user)
