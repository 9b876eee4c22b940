"""The host interface: everything Login as Customer needs to know about the shop it runs in.

The feature reaches its host only through this module. A shop names its host in settings::

    LOGIN_AS_CUSTOMER = {"HOST": "myshop.assistance.MyShopHost"}

and writes that class as a subclass of ``Host``, overriding what differs from the defaults:
the customer is ``AUTH_USER_MODEL``, with Django's own name, e-mail and active flag.
docs/host-interface.md describes each method; ShopAssist's host is
``shopassist.lac_host.host.ShopAssistHost``.

What the host hands to the feature the other way round — the actions done in an assisted session
(a cart changed, an order placed), a link in the customer's account menu, the consent checkbox on
its forms — it reports through the package's public functions (``events``, ``flows``), from its
own code: the feature never imports the shop.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache as default_cache
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# A request that reads (GET, HEAD) changes nothing: it is checked and shown, never recorded
# (unless the host names its page in ``Host.writing_get_url_names``).
READING_METHODS = frozenset({"GET", "HEAD"})

# The areas of a shop: its admin (dashboard) and its storefront, each with its own session.
ADMIN, STOREFRONT = "admin", "storefront"


@dataclass(frozen=True)
class Refusal:
    """A request the host refuses in an assisted session (``Host.refusal_of_assisted_write``):
    the page answers 403 with ``message``; the journal gets a denied ``action`` entry (e.g.
    ``"account.blocked"``) with ``details``."""

    action: str
    message: str
    details: dict = field(default_factory=dict)


class RefusedDuringAssistedSession(PermissionDenied):
    """Raised by a host's guard while a view of an assisted session runs (e.g. the save of the
    customer's e-mail): the middleware answers 403 with its message (``refused.html``)."""


def _reauth_failures_key(user) -> str:
    return f"login_as_customer:reauth_failures:{user.pk}"


class Host:
    """The defaults describe a shop whose customers are Django's users."""

    # The template the feature's storefront pages (refused, closed, My Account › Assisted
    # sessions) extend; they fill its ``title`` and ``content`` blocks.
    storefront_template = "base.html"
    # My Account's navigation, included above My Account › Assisted sessions (None: none).
    account_nav_template: str | None = None
    # The storefront's sign-out (URL names): with Close session, the one state-changing
    # request a view-only assisted session still makes (it ends the session).
    sign_out_url_names: tuple[str, ...] = ()
    # True when everything a storefront write does is in the database transaction (mail
    # through an outbox, no payment call): a write whose session another request ended while
    # it ran is then rolled back (``flows/assisted_write``). False (a shop that mails or takes
    # a payment from inside the view: django-oscar): the write commits, as an order that was
    # paid and confirmed must, and its entries follow the session's end.
    writes_are_transactional: bool = False
    # The storefront's URL names whose GET changes data (django-oscar sets a default address
    # and cancels a stock alert on a GET): in an assisted session such a GET is a write,
    # refused in a view-only session and recorded in a full one. Empty (the default), an
    # assisted GET is never resolved to be checked.
    writing_get_url_names: tuple[str, ...] = ()
    # The storefront's URL names of pages an administrator must never read for the customer,
    # whatever the method: pages that show secrets, e.g. the mail the shop sent them (a live
    # password-reset link). Refused in every assisted session, with a "private_page.blocked"
    # entry.
    private_url_names: tuple[str, ...] = ()
    # The storefront's sign-in pages, and its registration pages (a new account is signed in
    # at once), by URL name: a state-changing request to one of them is refused in every
    # assisted session before its view runs, with a "sign_in.blocked" entry — the storefront
    # session carries the assisted session, which a sign-in would replace (``signs_in``; any
    # other view that signs a browser in through django.contrib.auth is refused at its
    # ``login()``: ``integrations/sign_in_guard``). Here Django's usual name for its own.
    sign_in_url_names: tuple[str, ...] = ("login",)

    # -- settings -------------------------------------------------------------------------------

    def setting(self, key: str, *, store_view=None):
        """The value of a setting of ``config.OPTIONS`` (its key) for a store view: here from
        ``settings.LOGIN_AS_CUSTOMER`` (the option's id in capitals), else its default."""
        from login_as_customer.config import option

        declared = option(key)
        return getattr(settings, "LOGIN_AS_CUSTOMER", {}).get(declared.id.upper(), declared.default)

    # -- the administrator ----------------------------------------------------------------------

    def staff_may(self, user, permission: str) -> bool:
        """Whether an active staff user holds one of ``permissions``: here a Django permission
        of this app (``login_as_customer.<permission>``)."""
        return bool(
            user
            and user.is_authenticated
            and user.is_active
            and user.is_staff
            and user.has_perm(f"login_as_customer.{permission}")
        )

    def staff_id_may(self, user_id, permission: str) -> bool:
        """The same for a user id, on every request of an assisted session (the caller has
        checked the active, staff and superuser flags, read with the session)."""
        user = get_user_model()._default_manager.filter(pk=user_id).first()
        return user is not None and user.has_perm(f"login_as_customer.{permission}")

    def require(self, permission: str, *, on_refused=None):
        """A decorator for an admin view: 403 unless ``staff_may``; ``on_refused`` first."""
        return self.require_any((permission,), on_refused=on_refused)

    def require_any(self, permissions: tuple[str, ...], *, on_refused=None):
        """The same with a choice: 403 unless the user holds one of ``permissions``."""

        def decorator(view):
            @wraps(view)
            def wrapped(request, *args, **kwargs):
                if not any(self.staff_may(request.user, name) for name in permissions):
                    if on_refused is not None:
                        on_refused(request, *args, **kwargs)
                    raise PermissionDenied
                return view(request, *args, **kwargs)

            return wrapped

        return decorator

    def staff_may_see_customer(self, user, customer) -> bool:
        """Whether this staff member may see this customer's identity (name, e-mail address)
        in the admin: whether the shop shows it them on its own pages of the customer or of
        their orders, where the Login as Customer button is. The confirmation page asks it
        (with Allow or View only): when not, it names the customer by id only ("Customer #ID"),
        so that whoever may start sessions cannot read customers' identities id by id; a start
        by id is still allowed, checked and logged as always. Here: an active staff user who is
        a superuser or holds Django's permission to view (or change) the customer model, which
        opens its pages in Django's admin."""
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        from django.contrib.auth import get_permission_codename

        opts = customer._meta
        return user.is_superuser or any(
            user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("view", "change")
        )

    # The default host's own count of wrong passwords re-entered to start a session: this many
    # within the window (seconds) lock the administrator out of starting until it passes.
    reauth_failures_allowed = 5
    reauth_failure_window = 15 * 60

    def staff_locked_out(self, request, user) -> bool:
        """Whether the administrator is locked out of signing in (wrong passwords): the
        re-entered password of a start is then not checked. Here: after
        ``reauth_failures_allowed`` wrong ones within ``reauth_failure_window`` seconds,
        counted in the cache (a host with a sign-in lockout answers from that instead; a cache
        that cannot be read locks no one out, the wrong passwords still go to the shop's own
        lockout through ``user_login_failed``)."""
        try:
            failures = default_cache.get(_reauth_failures_key(user), 0)
        except Exception:  # any cache backend's failure: see the docstring
            return False
        return failures >= self.reauth_failures_allowed

    def staff_password_checked(self, request, user, *, correct: bool) -> None:
        """A password re-entered to start a session was right or wrong: count it as the
        host's sign-in lockout does. Here: a wrong one is counted (``staff_locked_out``) and
        sent as django.contrib.auth's ``user_login_failed``, which a shop's own lockout
        (django-axes) counts as a failed sign-in of that account; a right one clears the
        count."""
        from django.contrib.auth.signals import user_login_failed

        key = _reauth_failures_key(user)
        if correct:
            # A cache backend's failure: the count expires by itself.
            with contextlib.suppress(Exception):
                default_cache.delete(key)
            return
        self.count(key, timeout=self.reauth_failure_window)
        user_login_failed.send(
            sender=__name__,
            credentials={get_user_model().USERNAME_FIELD: user.get_username()},
            request=request,
        )

    def staff_locked_message(self) -> str:
        return _("Too many failed sign-in attempts. Try again later.")

    def admin_context(self, request) -> dict:
        """What the host's admin templates need on the feature's admin pages."""
        from django.contrib import admin

        return admin.site.each_context(request)

    def client_ip(self, request) -> str | None:
        """The client's address, as the log records it (behind a proxy: the host knows which
        forwarded address to trust)."""
        return request.META.get("REMOTE_ADDR")

    def actor_of(self, request):
        """Who acts in ``request`` (``actor.ActorLike``): the signed-in user, as staff in the
        admin or as the customer on the storefront — and in an assisted session the
        administrator on the customer's behalf, whom the customer's own decisions refuse."""
        from login_as_customer.actor import Actor, assisted_context

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return Actor(ip_address=self.client_ip(request))
        session = getattr(request, "assisted_session", None)
        if session is not None:
            return Actor(
                staff_user=session.admin,
                customer=user,
                ip_address=self.client_ip(request),
                context=assisted_context(session),
            )
        if user.is_staff:
            return Actor(staff_user=user, ip_address=self.client_ip(request))
        return Actor(customer=user, ip_address=self.client_ip(request))

    def csrf_token(self, request) -> str:
        """The CSRF token for the banner's Close session form."""
        return get_token(request)

    def count(self, key: str, *, timeout: int) -> int | None:
        """Add one to the counter ``key`` (it lives ``timeout`` seconds from its first count)
        and return it; None when the cache cannot count (the caller counts another way)."""
        try:
            default_cache.add(key, 0, timeout=timeout)
            return default_cache.incr(key)
        except Exception:  # any cache backend's failure: the caller counts another way
            return None

    # -- the journal ----------------------------------------------------------------------------

    def journal(self):
        """Where the feature's events are written (``journal.Journal``): here its own table."""
        from login_as_customer.journal import OwnJournal

        return OwnJournal()

    # -- the customer ---------------------------------------------------------------------------

    def customer_model(self):
        """The model of a customer: ``LOGIN_AS_CUSTOMER["CUSTOMER_MODEL"]`` (a model of its
        own, as in ShopAssist), by default ``AUTH_USER_MODEL`` (``swappable.py``)."""
        from login_as_customer.models import AssistedSession

        return AssistedSession.customer.field.related_model

    def customer(self, customer_id):
        """The customer with this id, or None (for the admin pages of Login as Customer)."""
        return self.customer_model()._default_manager.filter(pk=customer_id).first()

    # What a start and a redemption read with the customer (``select_related`` names): what
    # the host's answers below use, e.g. its website.
    customer_related: tuple[str, ...] = ()

    def customers_for_decision(self):
        """The customers a start decision reads, with ``customer_related`` (the feature joins
        the consent and the staff e-mail)."""
        return self.customer_model()._default_manager.select_related(*self.customer_related)

    def customer_name(self, customer) -> str:
        full_name = getattr(customer, "get_full_name", lambda: "")()
        return full_name or customer.get_username()

    def customer_email(self, customer) -> str:
        return customer.email

    def customer_admin_url(self, customer) -> str:
        """The customer's page in the admin (the confirmation's Back link): Django admin's
        change page of the customer model."""
        from django.urls import NoReverseMatch, reverse

        opts = customer._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[customer.pk])
        except NoReverseMatch:
            return reverse("admin:index")

    def customer_is_active(self, customer) -> bool:
        return customer.is_active

    def customer_has_staff_access(self, customer) -> bool:
        """Whether the customer's account is now a staff account itself, asked on every
        request of an assisted session with the row the check read (no query): a customer
        promoted mid-session would otherwise lend the administrator their staff access on the
        shop's pages. Here customers are Django's users: their staff and superuser flags (a
        model without them: False). The start and the redemption also refuse a customer whose
        e-mail a staff account has."""
        return bool(
            getattr(customer, "is_staff", False) or getattr(customer, "is_superuser", False)
        )

    def customer_store_view(self, customer):
        """The store view whose language and settings apply to the customer's mail."""
        return self.default_store_view()

    def customer_website_name(self, customer) -> str:
        return self.website_name(self.customer_store_view(customer))

    def read_along_expressions(self, customer_ref: str) -> dict[str, Any]:
        """What the shop reads with the customer on every page, as expressions over
        ``customer_ref`` (the customer's id column): the live check reads them in its own
        statement on a request that changes nothing, and sets them on the customer."""
        return {}

    # -- where: websites and store views --------------------------------------------------------
    # A store view is an object of ``LOGIN_AS_CUSTOMER["STORE_VIEW_MODEL"]``; by default a site
    # of ``django.contrib.sites``, a website of its own, usable by every customer.

    def _sites(self):
        from django.contrib.sites.models import Site

        return Site.objects.order_by("pk")

    def store_view(self, store_view_id):
        """The store view with this id, or None."""
        return self._sites().filter(pk=store_view_id).first()

    def current_store_view(self, request):
        """The store view a storefront request is in."""
        from django.contrib.sites.shortcuts import get_current_site

        return get_current_site(request)

    def store_view_code(self, store_view) -> str:
        """What the records keep of a store view (its name may change)."""
        return store_view.domain

    def store_view_choices(self, customer) -> list[dict]:
        """The dialog's choices: ``[{"website": w, "views": [{"view": v, "usable": bool}]}]``
        (a website has a ``name``)."""
        return [
            {"website": site, "views": [{"view": site, "usable": True}]} for site in self._sites()
        ]

    def auto_store_view(self, customer):
        """The store view "Auto detection" opens for this customer, or None."""
        return self.default_store_view()

    def store_view_usable(self, customer, store_view) -> bool:
        return store_view is not None

    def default_store_view(self):
        from django.contrib.sites.models import Site

        return Site.objects.get_current()

    def store_view_names(self) -> dict[str, str]:
        """Store view code -> name, for the log's filter and columns."""
        return {site.domain: site.name for site in self._sites()}

    def store_view_language(self, store_view) -> str:
        return settings.LANGUAGE_CODE

    def website_name(self, store_view) -> str:
        """The name of the website a store view belongs to (the banner's WEBSITE)."""
        return store_view.name

    def storefront_url(self, name: str, store_view, **kwargs) -> str:
        """``reverse`` for a storefront URL name, in that store view."""
        from django.urls import reverse

        return reverse(name, kwargs=kwargs or None)

    def landing_url(self, store_view) -> str:
        """Where a redemption lands: ``LOGIN_AS_CUSTOMER["LANDING_URL"]`` (a URL name or a
        path), by default the site's root."""
        from django.shortcuts import resolve_url

        return resolve_url(getattr(settings, "LOGIN_AS_CUSTOMER", {}).get("LANDING_URL", "/"))

    def home_url(self, store_view) -> str:
        """Where a browser goes when its assisted session has ended."""
        return "/"

    # -- areas and their sessions ---------------------------------------------------------------

    def area_of(self, request) -> str | None:
        """``ADMIN``, ``STOREFRONT`` or None (e.g. an API): ``request.area`` when the shop's
        middleware sets it, else the admin below Django admin's index, the storefront
        elsewhere."""
        area = getattr(request, "area", None)
        if area is not None:
            return area
        from django.urls import NoReverseMatch, reverse

        try:
            admin_prefix = reverse("admin:index")
        except NoReverseMatch:
            return STOREFRONT
        return ADMIN if request.path_info.startswith(admin_prefix) else STOREFRONT

    def set_session_cookie(self, request, response) -> None:
        """Give the browser the cookie of the request's session, saved by the caller (a
        redemption saves the new storefront session in its own transaction): the area's
        (``areas.py``), which is Django's own cookie without the area middleware."""
        from login_as_customer.areas import set_cookie

        set_cookie(request, response)

    # -- the storefront session -----------------------------------------------------------------
    # By default the customer signs in through django.contrib.auth: an assisted session is
    # that sign-in, written without its signal (not the customer's own login: no last_login).

    def open_customer_session(self, request, customer) -> None:
        """Authenticate the (fresh) storefront session of ``request`` as the customer, with a
        new CSRF secret, as Django's ``login`` gives one: a token the browser held before (or
        one planted in it) is no token of the assisted session."""
        from django.contrib import auth
        from django.middleware.csrf import rotate_token

        request.session[auth.SESSION_KEY] = customer._meta.pk.value_to_string(customer)
        request.session[auth.BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        request.session[auth.HASH_SESSION_KEY] = customer.get_session_auth_hash()
        rotate_token(request)
        request.user = customer

    def end_customer_session(self, request) -> None:
        """Destroy the storefront session on the server, with a new CSRF secret."""
        from django.contrib.auth.models import AnonymousUser
        from django.middleware.csrf import rotate_token

        request.session.flush()
        rotate_token(request)
        request.user = AnonymousUser()

    def customer_of_assisted_request(self, request, customer):
        """The customer the shop sees on an assisted request; ``customer`` was read by the live
        check (the shop may still verify its own conditions, and return None). Called on every
        request of an assisted session before the shop's own middleware: the place to drop
        what the browser brings that must never reach the customer's account."""
        return customer

    def refusal_of_assisted_write(self, request, session) -> Refusal | None:
        """Whether a state-changing request of a full-access assisted session is refused
        before its view runs (SPEC §6: the password, the e-mail, the account's deletion):
        a ``Refusal``, or None to let it run. ``request.resolver_match`` names the view.
        Here: django.contrib.auth's password change and the form of a password-reset link
        (or a subclass, under whatever name it is routed) — no password is set from the
        browser of an assisted session, the customer's (which ``account_guard`` refuses at the
        save too) nor another account's whose reset link was opened there. A host overriding
        this should ask it too (``super()``)."""
        match = request.resolver_match
        if not _sets_a_password(match.func):
            return None
        from login_as_customer.integrations.account_guard import REFUSED_CHANGES

        return Refusal(
            action="account.blocked",
            message=str(REFUSED_CHANGES["password"]),
            details={"fields": ["password"], "view": match.view_name},
        )

    def signs_in(self, view_name: str, view_func) -> bool:
        """Whether a state-changing request to this storefront view signs the browser in (or
        creates an account that it signs in): a view named in ``sign_in_url_names``, or
        django.contrib.auth's ``LoginView`` (or a subclass) under whatever name it is routed."""
        if view_name in self.sign_in_url_names:
            return True
        from django.contrib.auth.views import LoginView

        return _is_view_of(view_func, LoginView)

    def signs_out(self, view_name: str, view_func) -> bool:
        """Whether this storefront view is the sign-out, which a view-only session may still
        POST (it ends the session): a view named in ``sign_out_url_names``, or
        django.contrib.auth's ``LogoutView`` (or a subclass) under whatever name it is
        routed."""
        if view_name in self.sign_out_url_names:
            return True
        from django.contrib.auth.views import LogoutView

        return _is_view_of(view_func, LogoutView)

    @functools.cached_property
    def url_names_checked_on_read(self) -> frozenset[str]:
        """The URL names an assisted GET is resolved for: ``writing_get_url_names`` and
        ``private_url_names``."""
        return frozenset(self.writing_get_url_names) | frozenset(self.private_url_names)

    def signed_in_customer(self, request):
        """The customer signed in on this storefront request, or None."""
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None

    def discard_guest_cart(self, request) -> None:
        """Whatever the browser had in a guest cart is discarded when an assisted session opens
        in it, never merged into the customer's."""

    # The customer's own sign-in goes through django.contrib.auth (``user_logged_in``): the
    # feature then tells them of the assisted sessions on their account. A host that signs
    # customers in otherwise sets this False and calls ``flows.notice.customer_signed_in``.
    customers_sign_in_with_django_auth = True

    def customer_page(self, view):
        """Decorate a storefront view that only a signed-in customer may see."""
        from django.contrib.auth.decorators import login_required

        return login_required(view)

    # -- mail -----------------------------------------------------------------------------------

    def queue_mail(self, *, to: str, subject: str, body: str) -> None:
        """Send a notification mail once the caller's transaction commits."""
        from django.core.mail import send_mail
        from django.db import transaction

        transaction.on_commit(lambda: send_mail(subject, body, None, [to]))

    # -- speed: what a host may answer faster (optional) ----------------------------------------

    def first_of(self, name: str, build, **conditions):
        """``build().filter(**conditions).first()``, the one row the conditions match (a
        primary key or a unique column among them); ``name`` is the statement's, for a host
        that compiles each once (ShopAssist: ``core.precompiled``)."""
        return build().filter(**conditions).order_by().first()

    def statement_cursor(self, connection):
        """A cursor for a statement the feature runs on every start or request."""
        return connection.cursor()

    def fetch_row(self, connection, sql: str, params, converters) -> list | None:
        """The first row of ``sql`` with the column converters the ORM would apply —
        ``converters``: (column index, converters, expression) — or None."""
        with self.statement_cursor(connection) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for index, column_converters, expression in converters:
            for convert in column_converters:
                row[index] = convert(row[index], expression, connection)
        return row

    def built(self, model, alias: str, attnames, values):
        """The instance the ORM gives for a row of these columns."""
        return model.from_db(alias, attnames, values)


@functools.cache
def host() -> Host:
    """The host named in ``LOGIN_AS_CUSTOMER["HOST"]``, made once per process."""
    path = getattr(settings, "LOGIN_AS_CUSTOMER", {}).get("HOST")
    return import_string(path)() if path else Host()


@receiver(setting_changed)
def _forget_host(sender, setting, **kwargs):
    if setting == "LOGIN_AS_CUSTOMER":
        host.cache_clear()


def _is_view_of(view_func, classes) -> bool:
    """Whether a view function was made by ``as_view()`` of one of ``classes`` (or a
    subclass)."""
    view_class = getattr(view_func, "view_class", None)  # set by View.as_view()
    return isinstance(view_class, type) and issubclass(view_class, classes)


def _sets_a_password(view_func) -> bool:
    """Whether a view is django.contrib.auth's password change or the form of a password-reset
    link (or a subclass): its POST sets an account's password."""
    from django.contrib.auth.views import PasswordChangeView, PasswordResetConfirmView

    return _is_view_of(view_func, (PasswordChangeView, PasswordResetConfirmView))
