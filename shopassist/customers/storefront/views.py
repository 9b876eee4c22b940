"""Storefront account pages: register, log in and out, password reset, My Account."""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from shopassist.core import signin_guard, throttles
from shopassist.core.actor import Actor
from shopassist.core.config import config
from shopassist.customers import auth, services
from shopassist.customers.account_forms import extension_forms
from shopassist.customers.models import Customer
from shopassist.customers.selectors import customers_for_website, find_customer_by_email
from shopassist.customers.signin import (
    authenticate_customer_with_lockout,
    customer_sign_in_credentials,
)
from shopassist.customers.storefront import forms
from shopassist.outbox.services import queue_mail
from shopassist.stores.config import STORE_NAME
from shopassist.stores.urls import store_reverse

password_reset_tokens = PasswordResetTokenGenerator()
RESET_SESSION_KEY = "_customer_password_reset_token"
# The real token moves into the session, so it never leaks through a Referer header.
RESET_URL_TOKEN = "set-password"  # noqa: S105 - a URL placeholder, not a secret


def _redirect(request, name, **kwargs):
    return HttpResponseRedirect(store_reverse(name, store_view=request.store_view, kwargs=kwargs))


def customer_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.customer:
            login = store_reverse("customers:login", store_view=request.store_view)
            return HttpResponseRedirect(f"{login}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapped


def _apply_errors(form, exc: ValidationError):
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages_ in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    if request.customer:
        return _redirect(request, "customers:account")
    # Bound on every POST, an empty one too: the throttle's error is added before validation.
    form = forms.LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and throttles.over_limit(request, throttles.SIGN_IN):
        # Too many attempts from this address: no password is checked.
        form.add_error(None, _("Too many requests. Try later."))
        status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            customer = authenticate_customer_with_lockout(
                request,
                store_view=request.store_view,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except signin_guard.SignInLocked as locked:
            form.add_error(None, locked.message)
            status = 429
        else:
            if customer is None:
                form.add_error(None, _("Invalid login or password."))
            else:
                auth.login_customer(request, customer)
                return _redirect_after_login(request)
    return render(
        request,
        "customers/login.html",
        {"form": form, "next": request.GET.get("next", request.POST.get("next", ""))},
        status=status,
    )


def _redirect_after_login(request):
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return _redirect(request, "customers:account")


@require_POST
def logout(request):
    auth.logout_customer(request)
    messages.success(request, _("You have signed out."))
    return _redirect(request, "storefront:home")


@sensitive_post_parameters("password", "password_confirmation")
@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    if request.customer:
        return _redirect(request, "customers:account")
    form = forms.RegisterForm(request.POST or None)
    extensions = extension_forms("register", request, None, request.POST or None)
    if request.method == "POST" and _all_valid(form, extensions):
        data = form.cleaned_data
        actor = Actor.for_request(request)
        try:
            with transaction.atomic():
                customer = services.register_customer(
                    store_view=request.store_view,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    password=data["password"],
                    actor=actor,
                )
                _save_extensions(request, customer, extensions, actor)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                _apply_errors(form, exc)
            else:
                form.add_error("password", exc.messages)
        else:
            auth.login_customer(request, customer)
            messages.success(
                request,
                _("Thank you for registering with %(store)s.")
                % {"store": config.get(STORE_NAME, store_view=request.store_view)},
            )
            return _redirect(request, "customers:account")
    return render(
        request,
        "customers/register.html",
        {"form": form, "extension_forms": [f for _e, f in extensions]},
    )


def _all_valid(form, extensions) -> bool:
    results = [form.is_valid()] + [ext_form.is_valid() for _ext, ext_form in extensions]
    return all(results)


def _save_extensions(request, customer, extensions, actor) -> None:
    for extension, ext_form in extensions:
        extension.save(request, customer, ext_form, actor)


@never_cache
@customer_required
def account(request):
    return render(request, "customers/account.html", {"customer": request.customer})


@sensitive_post_parameters("current_password", "new_password", "new_password_confirmation")
@never_cache
@customer_required
@require_http_methods(["GET", "POST"])
def account_edit(request):
    customer = request.customer
    initial = {"first_name": customer.first_name, "last_name": customer.last_name}
    initial["email"] = customer.email
    initial["change_password"] = request.GET.get("change_password") == "1"
    form = forms.AccountInformationForm(request.POST or None, initial=initial)
    extensions = extension_forms("account_edit", request, customer, request.POST or None)
    if request.method == "POST" and _all_valid(form, extensions):
        data = form.cleaned_data
        actor = Actor.for_request(request)
        try:
            with transaction.atomic():
                changed = services.update_account_information(
                    customer=customer,
                    actor=actor,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"] if data["change_email"] else customer.email,
                    current_password=data["current_password"],
                    new_password=data["new_password"] if data["change_password"] else "",
                )
                _save_extensions(request, customer, extensions, actor)
        except ValidationError as exc:
            customer.refresh_from_db()
            _apply_errors(form, exc)
        else:
            if "password" in changed:
                auth.update_session_hash(request, customer)
            messages.success(request, _("You saved the account information."))
            return _redirect(request, "customers:account")
    return render(
        request,
        "customers/account_edit.html",
        {"form": form, "customer": customer, "extension_forms": [f for _e, f in extensions]},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def forgot_password(request):
    # Bound on every POST, an empty one too: the throttle's error is added before validation.
    form = forms.PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _reset_requests_over_limit(request, form):
        # No e-mail is sent; the answer does not depend on whether the account exists.
        form.add_error(None, _("Too many requests. Try later."))
        return render(request, "customers/forgot_password.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        customer = find_customer_by_email(
            email=form.cleaned_data["email"], website_id=request.store_view.store.website_id
        )
        if customer is not None and customer.is_active:
            _queue_reset_email(request, customer)
        # Same answer whether or not the account exists: no e-mail enumeration. The mail is
        # sent after the response, so neither the mail server nor its state shows in it.
        messages.success(
            request,
            _(
                "If there is an account associated with %(email)s you will receive an e-mail "
                "with a link to reset your password."
            )
            % {"email": form.cleaned_data["email"]},
        )
        return _redirect(request, "customers:login")
    return render(request, "customers/forgot_password.html", {"form": form})


def _reset_requests_over_limit(request, form) -> bool:
    """Reset requests per client network, and per account named (from any address)."""
    if throttles.over_limit(request, throttles.PASSWORD_RESET):
        return True
    if not form.is_valid():
        return False
    account = customer_sign_in_credentials(
        store_view=request.store_view, email=form.cleaned_data["email"]
    )[signin_guard.IDENTITY_KEY]
    return throttles.over_limit(request, throttles.PASSWORD_RESET_PER_ACCOUNT, key=account)


def _queue_reset_email(request, customer):
    path = store_reverse(
        "customers:reset_password",
        store_view=request.store_view,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(customer.pk)),
            "token": password_reset_tokens.make_token(customer),
        },
    )
    context = {
        "customer": customer,
        "reset_url": request.build_absolute_uri(path),
        "store_name": config.get(STORE_NAME, store_view=request.store_view),
    }
    queue_mail(
        to=customer.email,
        subject=_("Reset your %(store)s password") % {"store": context["store_name"]},
        body=render_to_string("customers/email/password_reset.txt", context),
        # The link opens the account: erased from the outbox once sent, never sent expired.
        contains_secret=True,
        expires_at=timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    )


@sensitive_post_parameters("new_password", "new_password_confirmation")
@never_cache
@require_http_methods(["GET", "POST"])
def reset_password(request, uidb64, token):
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        customer = customers_for_website(request.store_view.store.website_id).get(pk=pk)
    except (ValueError, TypeError, OverflowError, Customer.DoesNotExist):
        customer = None
    if customer is not None and token != RESET_URL_TOKEN:
        if password_reset_tokens.check_token(customer, token):
            request.session[RESET_SESSION_KEY] = token
            return _redirect(
                request, "customers:reset_password", uidb64=uidb64, token=RESET_URL_TOKEN
            )
        customer = None
    session_token = request.session.get(RESET_SESSION_KEY, "")
    if customer is None or not password_reset_tokens.check_token(customer, session_token):
        messages.error(request, _("Your password reset link has expired or was already used."))
        return _redirect(request, "customers:forgot_password")
    form = forms.SetNewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_customer_password(
                customer=customer,
                password=form.cleaned_data["new_password"],
                actor=Actor.for_request(request),
            )
        except ValidationError as exc:
            form.add_error("new_password", exc.messages)
        else:
            del request.session[RESET_SESSION_KEY]
            messages.success(request, _("You updated your password. You can sign in now."))
            return _redirect(request, "customers:login")
    return render(request, "customers/reset_password.html", {"form": form})
