"""``OscarHost``: what a django-oscar shop answers differently from the default host."""

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from login_as_customer.host import Host, Refusal
from login_as_customer.integrations.account_guard import REFUSED_CHANGES, REFUSED_DELETION


class OscarHost(Host):
    storefront_template = "oscar/layout.html"  # its blocks title and content
    sign_out_url_names = ("customer:logout",)
    # Oscar's views that change data on a GET: a default address, a stock alert confirmed or
    # cancelled, a wish list line added or moved, a notification marked read.
    writing_get_url_names = (
        "customer:address-change-status",
        "customer:alerts-cancel-by-pk",
        "customer:alerts-cancel-by-key",
        "customer:alerts-confirm",
        "customer:wishlists-add-product",
        "customer:wishlists-move-product-to-another",
        "customer:notifications-detail",
    )
    # The mail Oscar sent the customer (OSCAR_SAVE_SENT_EMAILS_TO_DB): password-reset links.
    private_url_names = ("customer:email-list", "customer:email-detail")
    # Oscar's views that sign a browser in on a POST, also when one is signed in already: its
    # login page (which also registers), its registration page, the checkout's gateway (an
    # existing account's password).
    sign_in_url_names = ("customer:login", "customer:register", "checkout:index")

    def landing_url(self, store_view) -> str:
        """The customer's account (``customer:summary``) unless ``LANDING_URL`` says otherwise."""
        landing = getattr(settings, "LOGIN_AS_CUSTOMER", {}).get("LANDING_URL", "customer:summary")
        return resolve_url(landing)

    def customer_of_assisted_request(self, request, customer):
        """The browser's anonymous basket cookie is dropped on every assisted request, not only
        at the redemption: Oscar's ``BasketMiddleware`` (after this one) would merge any
        anonymous basket the browser presents into the customer's, even on a GET."""
        request.COOKIES.pop(settings.OSCAR_BASKET_COOKIE_OPEN, None)
        return customer

    def refusal_of_assisted_write(self, request, session) -> Refusal | None:
        """Oscar's change of password — its form, and its password reset pages, which Oscar
        itself closes to a signed-in browser without saying why —, change of e-mail on the
        profile page and deletion of the account are refused (SPEC §6); the rest of the
        profile may change. An e-mail or a password changed by any other view is refused when
        the account is saved (``account_guard``); this refusal explains it first, with its
        own message."""
        refusal = super().refusal_of_assisted_write(request, session)  # django.contrib.auth's
        if refusal is not None:
            return refusal
        name = request.resolver_match.view_name
        if name in _PASSWORD_URL_NAMES:
            return Refusal(
                action="account.blocked",
                message=str(REFUSED_CHANGES["password"]),
                details={"fields": ["password"], "view": name},
            )
        if name == "customer:profile-delete":
            return Refusal(
                action="account_deletion.blocked",
                message=str(REFUSED_DELETION),
                details={"view": name},
            )
        if name == "customer:profile-update" and _changes_email(request):
            return Refusal(
                action="account.blocked",
                message=str(REFUSED_CHANGES["email"]),
                details={"fields": ["email"], "view": name},
            )
        return None

    def discard_guest_cart(self, request) -> None:
        """The browser's anonymous basket (its cookie) is dropped: Oscar's ``BasketMiddleware``
        would otherwise merge it into the customer's basket on the next page."""
        name = settings.OSCAR_BASKET_COOKIE_OPEN
        request.COOKIES.pop(name, None)
        to_delete = getattr(request, "cookies_to_delete", None)  # BasketMiddleware deletes them
        if to_delete is not None and name not in to_delete:
            to_delete.append(name)

    def end_customer_session(self, request) -> None:
        """Also replace the customer's basket this request may have loaded by an empty one:
        Oscar's middleware would otherwise give its cookie to the now anonymous browser."""
        super().end_customer_session(request)
        if hasattr(request, "basket"):
            from oscar.core.loading import get_model

            empty = get_model("basket", "Basket")()  # never saved: no cookie is set for it
            empty.strategy = request.strategy
            request.basket = empty

    def customer_admin_url(self, customer) -> str:
        """The customer's page in Oscar's dashboard."""
        return reverse("dashboard:user-detail", kwargs={"pk": customer.pk})

    def staff_may_see_customer(self, user, customer) -> bool:
        """Staff whom Oscar's dashboard shows customers, on the pages that carry the button:
        its customer pages (``dashboard:user-detail``, which Oscar opens with the permission to
        view users), as the default host answers, and its order pages, which name the order's
        customer (``dashboard:order-detail``: the permission to view orders, or partner
        dashboard access) — for a customer with an order those pages show them
        (``queryset_orders_for_user``: every order, to a staff user)."""
        if super().staff_may_see_customer(user, customer):
            return True
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if not (user.has_perm("order.view_order") or user.has_perm("partner.dashboard_access")):
            return False
        from oscar.core.loading import get_class

        orders_for = get_class("dashboard.orders.views", "queryset_orders_for_user")
        return orders_for(user).filter(user=customer).exists()


# Oscar's pages that set a password: its form, and the reset pages (the request of a reset
# link and the link's form). Stock Oscar's link form is django.contrib.auth's
# PasswordResetConfirmView, which the default host refuses by its class; its name stays here
# for a shop that routes a view of its own under it.
_PASSWORD_URL_NAMES = frozenset(
    {"customer:change-password", "password-reset", "password-reset-confirm"}
)


def _changes_email(request) -> bool:
    """Whether Oscar's profile form posts another e-mail address than the account's, as the
    form would save it (``normalise_email``: the domain in lower case)."""
    from oscar.apps.customer.utils import normalise_email

    return normalise_email(request.POST.get("email", "")) != request.user.email
