"""ShopAssist's customer signals that end an assisted session."""

from django.dispatch import receiver

from login_as_customer.integrations.admin_logout import end_session_on_sign_out
from shopassist.customers.signals import customer_logged_out


@receiver(customer_logged_out)
def sign_out_closes_assisted_session(sender, request, **kwargs):
    end_session_on_sign_out(request)
