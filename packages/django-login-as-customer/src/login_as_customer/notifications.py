"""E-mails to the customer about remote shopping assistance given on their account by staff."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from login_as_customer import config as lac_config
from login_as_customer.host import host


def mail_consent_granted_by_staff(consent) -> None:
    """Tell the customer, in their store view's language, that a store administrator allowed
    remote shopping assistance on their account, until when, and how to withdraw it.

    Queued in the transaction of the change, sent after it commits; the administrator is
    named only where the store shows administrator names to customers (*Show administrator
    names to customers*).
    """
    customer = consent.customer
    store_view = host().customer_store_view(customer)
    show_name = lac_config.setting(lac_config.SHOW_ADMIN_NAMES)
    with translation.override(host().store_view_language(store_view)):
        context = {
            "customer": customer,
            "customer_name": host().customer_name(customer),
            "consent": consent,
            "admin_name": _staff_name(consent) if show_name else "",
            "website": host().customer_website_name(customer),
            "opt_in_title": gettext(
                lac_config.setting(lac_config.OPT_IN_TITLE, store_view=store_view)
            ),
        }
        host().queue_mail(
            to=host().customer_email(customer),
            subject=gettext("Remote shopping assistance was allowed on your account"),
            body=render_to_string("login_as_customer/email/consent_granted_by_staff.txt", context),
        )


def _staff_name(consent) -> str:
    """The administrator who gave the permission as customers are told of administrators
    (``flows/notice.admin_display_name``): their full name, else their username."""
    staff = consent.set_by
    return (staff.get_full_name() if staff is not None else "") or consent.set_by_username


def consent_mail_wanted(customer) -> bool:
    """*Notify the customer*, read for the customer's own store view (and so its website)."""
    return lac_config.setting(
        lac_config.NOTIFY_CUSTOMER, store_view=host().customer_store_view(customer)
    )
