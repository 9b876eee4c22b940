"""Read what decisions need: permissions, consent, usable store views, live sessions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from shopassist.core import acl
from shopassist.customers.auth import customer_can_use_website
from shopassist.login_as_customer import tokens
from shopassist.login_as_customer.acl import ALLOW
from shopassist.login_as_customer.models import AssistanceConsent, AssistedSession
from shopassist.stores.models import StoreView
from shopassist.stores.selectors import active_store_views


def staff_may_login_as(user) -> bool:
    return acl.has_resource(user, ALLOW)


def customer_is_staff(customer) -> bool:
    """A customer whose e-mail belongs to a staff account is treated as staff: never a target."""
    users = get_user_model().objects.filter(email__iexact=customer.email)
    return users.filter(Q(is_staff=True) | Q(is_superuser=True)).exists()


def consent_of(customer) -> AssistanceConsent | None:
    return AssistanceConsent.objects.filter(customer=customer).first()


def consent_is_valid(customer) -> bool:
    consent = consent_of(customer)
    return consent is not None and consent.is_valid()


def store_view_usable(customer, store_view) -> bool:
    return (
        store_view is not None
        and store_view.is_active
        and customer_can_use_website(customer, store_view.store.website_id)
    )


def store_view_choices(customer) -> list[dict]:
    """Active store views grouped by website; unusable ones flagged (the dialog disables them)."""
    groups: dict[int, dict] = {}
    for view in active_store_views():
        website = view.store.website
        group = groups.setdefault(website.pk, {"website": website, "views": []})
        group["views"].append({"view": view, "usable": store_view_usable(customer, view)})
    return list(groups.values())


def auto_store_view(customer) -> StoreView | None:
    """Auto detection: the store view the account was created in if active, else the website's
    default store view."""
    created_in = (
        StoreView.objects.select_related("store__website").filter(pk=customer.created_in_id).first()
    )
    if store_view_usable(customer, created_in):
        return created_in
    default = customer.website.default_store_view()
    return default if store_view_usable(customer, default) else None


def live_sessions_of_customer(customer_id):
    return AssistedSession.objects.filter(customer_id=customer_id, ended_at__isnull=True)


def sessions_started_from(admin_session_key: str | None):
    """Live sessions started from this admin session. A login link opens only in the browser
    that started it, and each redemption replaces the session that browser held: these are
    the assisted sessions open in the administrator's browser (at most one, in practice)."""
    session_hash = tokens.hash_session_key(admin_session_key)
    if not session_hash:
        return AssistedSession.objects.none()
    return AssistedSession.objects.filter(
        admin_session_hash=session_hash, started_at__isnull=False, ended_at__isnull=True
    )
