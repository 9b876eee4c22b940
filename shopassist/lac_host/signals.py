"""ShopAssist's signals for Login as Customer: a sign-out ends an assisted session; a sign-in in
the browser of an assisted session is refused; the customer's own sign-in tells them of the
assisted sessions on their account; a saved setting of the feature (switched off, a shorter
maximum duration) ends the live sessions it no longer allows."""

from django.dispatch import receiver

from login_as_customer import config as lac_config
from login_as_customer.flows import notice
from login_as_customer.integrations.account_changes import recheck_after_commit
from login_as_customer.integrations.admin_logout import end_session_on_sign_out
from login_as_customer.integrations.sign_in_guard import refuse_sign_in
from shopassist.core.signals import config_saved
from shopassist.customers.signals import customer_logged_in, customer_logged_out


@receiver(customer_logged_out)
def sign_out_closes_assisted_session(sender, request, **kwargs):
    end_session_on_sign_out(request)


# Before the notice below: a refused sign-in marks no session told. (The storefront's sign-in
# and registration pages are refused before they run: ``ShopAssistHost.sign_in_url_names``.)
@receiver(customer_logged_in)
def sign_in_refused_in_assisted_session(sender, request, **kwargs):
    refuse_sign_in(request)


@receiver(customer_logged_in)
def sign_in_tells_the_customer(sender, request, customer, **kwargs):
    notice.customer_signed_in(request, customer)


@receiver(config_saved)
def settings_recheck_live_sessions(sender, paths, **kwargs):
    if any(path.startswith(lac_config.PREFIX) for path in paths):
        recheck_after_commit()
