"""Customer accounts: registration, login, account information, password reset, admin grid."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from shopassist.customers.config import ACCOUNT_SHARE_SCOPE, SHARE_GLOBAL, SHARE_PER_WEBSITE
from shopassist.customers.models import Customer
from shopassist.customers.storefront.views import RESET_SESSION_KEY
from shopassist.stores.models import Store, StoreView, Website
from tests.conftest import login_customer_client
from tests.pages import (
    STORE_COOKIE,
    customer_sessions,
    customers_snapshot,
    messages_of,
    session_data,
    storefront_customer,
)

PASSWORD = "demo-customer"
NEW_PASSWORD = "Brand-New-Secret-77"
XSS = "<script>alert(1)</script>"
ESCAPED_XSS = "&lt;script&gt;alert(1)&lt;/script&gt;"
GENERIC_LOGIN_ERROR = "Invalid login or password."
EMAIL_TAKEN = "There is already an account with this e-mail address."

REGISTRATION = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "password": "Analytical-Engine-1843",
    "password_confirmation": "Analytical-Engine-1843",
}


@pytest.fixture
def outlet_view(demo, django_capture_on_commit_callbacks):
    """A store view of a second website, "Outlet Website"."""
    with django_capture_on_commit_callbacks(execute=True):
        website = Website.objects.create(code="outlet", name="Outlet Website", sort_order=10)
        store = Store.objects.create(website=website, name="Outlet Store")
        view = StoreView.objects.create(store=store, code="outlet", name="Outlet", locale="en")
    return view


@pytest.fixture
def global_sharing(set_config):
    set_config({ACCOUNT_SHARE_SCOPE: SHARE_GLOBAL})


def url(store_code, name):
    return f"/{store_code}/customer/account/{name}"


def register(client, store_code="en", **changes):
    return client.post(url(store_code, "create/"), {**REGISTRATION, **changes})


def login(client, email, password=PASSWORD, store_code="en", **extra):
    return client.post(url(store_code, "login/"), {"email": email, "password": password, **extra})


def form_errors(response) -> list[str]:
    form = response.context["form"]
    return [message for messages in form.errors.values() for message in messages]


# --- registration ----------------------------------------------------------------------------


def test_register_creates_the_account_on_the_store_views_website(fr):
    client = Client()

    response = register(client, "fr")

    assert response.status_code == 302
    assert response["Location"] == "/fr/customer/account/"
    customer = Customer.objects.get(email="ada@example.com")
    assert customer.website == fr.store.website
    assert customer.created_in == fr
    assert (customer.first_name, customer.last_name) == ("Ada", "Lovelace")
    assert customer.is_active
    assert customer.check_password(REGISTRATION["password"])
    assert customer.last_login is not None
    assert storefront_customer(client, "fr") == customer


def test_register_stores_the_email_in_lower_case(demo):
    register(Client(), email="Ada.Lovelace@Example.COM")

    assert Customer.objects.filter(email="ada.lovelace@example.com").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"last_name": "   "}, "last_name", "This field is required."),
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": "jane.doe@example"}, "email", "Enter a valid email address."),
        (
            {"password_confirmation": "Analytical-Engine-1844"},
            "password_confirmation",
            "The two passwords do not match.",
        ),
        (
            {"password": "Ab1-xyz", "password_confirmation": "Ab1-xyz"},
            "password",
            "This password is too short.",
        ),
        (
            {"password": "password123", "password_confirmation": "password123"},
            "password",
            "This password is too common.",
        ),
        (
            {"password": "73829104655", "password_confirmation": "73829104655"},
            "password",
            "This password is entirely numeric.",
        ),
        ({"email": "jane.doe@example.com"}, "email", EMAIL_TAKEN),
        ({"email": " JANE.Doe@Example.com "}, "email", EMAIL_TAKEN),
        ({"first_name": "A" * 151}, "first_name", "Ensure this value has at most 150 characters"),
        ({"last_name": "B" * 151}, "last_name", "Ensure this value has at most 150 characters"),
        (
            {"email": "a" * 250 + "@example.com"},
            "email",
            "Ensure this value has at most 254 characters",
        ),
        (
            {"password": "p" * 4097, "password_confirmation": "p" * 4097},
            "password",
            "Ensure this value has at most 4096 characters",
        ),
    ],
    ids=[
        "empty-first-name",
        "blank-last-name",
        "empty-email",
        "invalid-email",
        "email-without-tld",
        "mismatched-passwords",
        "short-password",
        "common-password",
        "numeric-password",
        "duplicate-email",
        "duplicate-email-other-case",
        "oversized-first-name",
        "oversized-last-name",
        "oversized-email",
        "oversized-password",
    ],
)
def test_register_with_bad_input_shows_the_error_and_changes_nothing(jane, changes, field, message):
    client = Client()
    before = customers_snapshot()

    response = register(client, **changes)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert customers_snapshot() == before
    assert storefront_customer(client) is None


def test_global_sharing_refuses_an_email_used_on_another_website(jane, outlet_view, global_sharing):
    client = Client()
    before = customers_snapshot()

    response = register(client, "outlet", email=jane.email)

    assert response.status_code == 200
    assert EMAIL_TAKEN in form_errors(response)
    assert customers_snapshot() == before
    assert storefront_customer(client, "outlet") is None


def test_per_website_sharing_allows_the_same_email_on_a_second_website(jane, outlet_view):
    client = Client()

    response = register(client, "outlet", email=jane.email)

    assert response.status_code == 302
    accounts = Customer.objects.filter(email=jane.email).order_by("pk")
    assert [account.website.name for account in accounts] == ["Main Website", "Outlet Website"]
    newcomer = accounts[1]
    assert newcomer.created_in == outlet_view
    assert newcomer.check_password(REGISTRATION["password"])
    assert storefront_customer(client, "outlet") == newcomer
    jane.refresh_from_db()
    assert jane.check_password(PASSWORD)


def test_per_website_is_the_default_sharing_scope(jane, outlet_view, set_config):
    set_config({ACCOUNT_SHARE_SCOPE: SHARE_PER_WEBSITE})

    response = register(Client(), "outlet", email=jane.email)

    assert response.status_code == 302
    assert Customer.objects.filter(email=jane.email).count() == 2


def test_logged_in_customer_is_sent_from_register_to_my_account(jane):
    client = login_customer_client(Client(), jane)
    before = customers_snapshot()

    response = register(client)

    assert response.status_code == 302
    assert response["Location"] == "/en/customer/account/"
    assert customers_snapshot() == before


# --- login -----------------------------------------------------------------------------------


def test_wrong_password_and_unknown_email_get_the_same_generic_error(jane):
    before = customers_snapshot()

    wrong_password = login(Client(), jane.email, "not-her-password")
    unknown_email = login(Client(), "nobody@example.com", PASSWORD)

    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert form_errors(response) == [GENERIC_LOGIN_ERROR]
        assert GENERIC_LOGIN_ERROR in response.content.decode()
    assert customers_snapshot() == before
    assert customer_sessions(jane) == []


def test_login_is_case_insensitive_on_the_email(jane):
    client = Client()

    response = login(client, "Jane.Doe@EXAMPLE.com")

    assert response.status_code == 302
    assert storefront_customer(client) == jane


def test_inactive_customer_cannot_log_in(jane):
    jane.is_active = False
    jane.save()
    client = Client()
    before = customers_snapshot()

    response = login(client, jane.email)

    assert response.status_code == 200
    assert form_errors(response) == [GENERIC_LOGIN_ERROR]
    assert customers_snapshot() == before
    assert customer_sessions(jane) == []


def test_deactivating_a_customer_ends_their_storefront_session(jane):
    client = login_customer_client(Client(), jane)

    Customer.objects.filter(pk=jane.pk).update(is_active=False)

    assert storefront_customer(client) is None


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("admin@shopassist.example", "demo-admin"),
        ("support@shopassist.example", "demo-support"),
        ("admin", "demo-admin"),
    ],
)
def test_staff_credentials_cannot_log_in_to_the_storefront(administrator, email, password):
    client = Client()
    before = customers_snapshot()
    last_login = administrator.last_login

    response = login(client, email, password)

    assert response.status_code == 200
    assert form_errors(response)
    assert storefront_customer(client) is None
    assert response.wsgi_request.session.get("_auth_user_id") is None
    assert customers_snapshot() == before
    administrator.refresh_from_db()
    assert administrator.last_login == last_login


def test_customer_of_one_website_cannot_log_in_on_another(jane, outlet_view):
    client = Client()
    before = customers_snapshot()

    response = login(client, jane.email, store_code="outlet")

    assert response.status_code == 200
    assert form_errors(response) == [GENERIC_LOGIN_ERROR]
    assert customers_snapshot() == before
    assert customer_sessions(jane) == []


def test_session_of_one_website_does_not_sign_in_on_another(jane, outlet_view):
    client = login_customer_client(Client(), jane)

    assert storefront_customer(client, "outlet") is None
    assert storefront_customer(client, "en") == jane


def test_global_sharing_lets_a_customer_log_in_on_every_website(jane, outlet_view, global_sharing):
    client = Client()

    response = login(client, jane.email, store_code="outlet")

    assert response.status_code == 302
    assert storefront_customer(client, "outlet") == jane


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "https:/evil.example/",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_site(jane, next_url):
    response = login(Client(), jane.email, next=next_url)

    assert response.status_code == 302
    assert response["Location"] == "/en/customer/account/"


def test_login_follows_a_local_next_url(jane):
    response = login(Client(), jane.email, next="/en/customer/account/edit/")

    assert response["Location"] == "/en/customer/account/edit/"


def test_my_account_asks_guests_to_log_in_and_comes_back(jane):
    client = Client()

    response = client.get("/en/customer/account/edit/")

    assert response.status_code == 302
    assert response["Location"] == "/en/customer/account/login/?next=/en/customer/account/edit/"
    login_page = client.get(response["Location"])
    assert 'name="next" value="/en/customer/account/edit/"' in login_page.content.decode()


# --- account information ---------------------------------------------------------------------


def edit_account(client, customer, **changes):
    data = {"first_name": customer.first_name, "last_name": customer.last_name}
    data["email"] = customer.email
    return client.post(url("en", "edit/"), {**data, **changes})


def test_name_change_needs_no_password(jane):
    client = login_customer_client(Client(), jane)
    password_hash = jane.password

    response = edit_account(client, jane, first_name="Janet", last_name="Doe-Smith")

    assert response.status_code == 302
    assert response["Location"] == "/en/customer/account/"
    jane.refresh_from_db()
    assert (jane.first_name, jane.last_name) == ("Janet", "Doe-Smith")
    assert jane.email == "jane.doe@example.com"
    assert jane.password == password_hash
    assert storefront_customer(client) == jane


def test_email_change_with_the_current_password(jane):
    client = login_customer_client(Client(), jane)

    response = edit_account(
        client, jane, change_email="on", email="jane@example.org", current_password=PASSWORD
    )

    assert response.status_code == 302
    jane.refresh_from_db()
    assert jane.email == "jane@example.org"
    assert storefront_customer(client) == jane


@pytest.mark.parametrize(
    ("current_password", "message"),
    [
        ("", "Enter your current password."),
        ("wrong-password", "The current password is not correct."),
    ],
)
def test_email_change_needs_the_current_password(jane, current_password, message):
    client = login_customer_client(Client(), jane)
    before = customers_snapshot()

    response = edit_account(
        client,
        jane,
        change_email="on",
        email="jane@example.org",
        current_password=current_password,
        first_name="Janet",
    )

    assert response.status_code == 200
    assert message in form_errors(response)
    assert message in response.content.decode()
    assert customers_snapshot() == before


def test_email_change_to_a_taken_email_is_refused(jane, marie):
    client = login_customer_client(Client(), jane)
    before = customers_snapshot()

    response = edit_account(
        client, jane, change_email="on", email=marie.email.upper(), current_password=PASSWORD
    )

    assert response.status_code == 200
    assert EMAIL_TAKEN in form_errors(response)
    assert customers_snapshot() == before


def test_email_is_not_changed_without_ticking_change_email(jane):
    client = login_customer_client(Client(), jane)

    response = edit_account(client, jane, email="sneaky@example.org")

    assert response.status_code == 302
    jane.refresh_from_db()
    assert jane.email == "jane.doe@example.com"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"current_password": ""}, "Enter your current password."),
        ({"current_password": "wrong-password"}, "The current password is not correct."),
        ({"new_password": ""}, "Enter a new password."),
        ({"new_password_confirmation": "Brand-New-Secret-78"}, "The two passwords do not match."),
        (
            {"new_password": "password123", "new_password_confirmation": "password123"},
            "This password is too common.",
        ),
        ({"first_name": ""}, "This field is required."),
        ({"last_name": "x" * 151}, "Ensure this value has at most 150 characters (it has 151)."),
    ],
    ids=[
        "missing-current",
        "wrong-current",
        "empty-new",
        "mismatched",
        "common",
        "empty-name",
        "oversized-name",
    ],
)
def test_password_change_with_bad_input_changes_nothing(jane, changes, message):
    client = login_customer_client(Client(), jane)
    before = customers_snapshot()
    sessions_before = customer_sessions(jane)

    response = edit_account(
        client,
        jane,
        **{
            "change_password": "on",
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirmation": NEW_PASSWORD,
            **changes,
        },
    )

    assert response.status_code == 200
    assert message in form_errors(response)
    assert customers_snapshot() == before
    assert customer_sessions(jane) == sessions_before
    assert storefront_customer(client) == jane


def test_password_change_keeps_this_session_and_ends_the_others(jane):
    other_device = login_customer_client(Client(), jane)
    client = login_customer_client(Client(), jane)
    key_before = client.cookies[STORE_COOKIE].value

    response = edit_account(
        client,
        jane,
        change_password="on",
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
        new_password_confirmation=NEW_PASSWORD,
    )

    assert response.status_code == 302
    jane.refresh_from_db()
    assert jane.check_password(NEW_PASSWORD)
    assert storefront_customer(client) == jane
    assert client.cookies[STORE_COOKIE].value != key_before
    assert storefront_customer(other_device) is None
    assert login(Client(), jane.email, PASSWORD).status_code == 200
    assert login(Client(), jane.email, NEW_PASSWORD).status_code == 302


def test_account_edit_needs_a_logged_in_customer(jane):
    client = Client()
    before = customers_snapshot()

    response = edit_account(client, jane, first_name="Anonymous")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/customer/account/login/")
    assert customers_snapshot() == before


# --- password reset --------------------------------------------------------------------------


def request_reset(client, email, store_code="en"):
    return client.post(url(store_code, "forgotpassword/"), {"email": email}, follow=True)


def reset_link(mail) -> str:
    match = re.search(
        r"http://testserver(/en/customer/account/resetpassword/[\w-]+/[\w-]+/)", mail.body
    )
    assert match, mail.body
    return match.group(1)


def test_password_reset_request_for_a_known_email_sends_one_link(jane, mailoutbox):
    response = request_reset(Client(), jane.email)

    assert response.redirect_chain[-1][0] == "/en/customer/account/login/"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [jane.email]
    assert "Jane Doe" in mail.body
    assert reset_link(mail)
    assert messages_of(response) == [
        f"If there is an account associated with {jane.email} you will receive an e-mail "
        "with a link to reset your password."
    ]


def test_password_reset_request_for_an_unknown_email_sends_nothing_but_says_the_same(
    jane, mailoutbox
):
    before = customers_snapshot()
    unknown = request_reset(Client(), "nobody@example.com")
    known = request_reset(Client(), jane.email)

    assert len(mailoutbox) == 1
    assert unknown.redirect_chain == known.redirect_chain
    assert [m.replace("nobody@example.com", jane.email) for m in messages_of(unknown)] == (
        messages_of(known)
    )
    assert customers_snapshot() == before


def test_password_reset_is_not_sent_to_inactive_or_other_website_accounts(
    jane, outlet_view, mailoutbox
):
    Customer.objects.filter(pk=jane.pk).update(is_active=False)
    request_reset(Client(), jane.email)
    Customer.objects.filter(pk=jane.pk).update(is_active=True)
    request_reset(Client(), jane.email, store_code="outlet")

    assert mailoutbox == []


def test_password_reset_link_sets_a_new_password_once(jane, mailoutbox):
    client = Client()
    request_reset(client, jane.email)
    link = reset_link(mailoutbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]

    landing = client.get(link)

    assert landing.status_code == 302
    set_password_url = landing["Location"]
    assert token not in set_password_url
    assert set_password_url.endswith("/set-password/")
    assert session_data(client.cookies[STORE_COOKIE].value)[RESET_SESSION_KEY] == token
    form_page = client.get(set_password_url)
    assert form_page.status_code == 200
    assert token not in form_page.content.decode()

    response = client.post(
        set_password_url,
        {"new_password": NEW_PASSWORD, "new_password_confirmation": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/customer/account/login/"
    jane.refresh_from_db()
    assert jane.check_password(NEW_PASSWORD)
    assert RESET_SESSION_KEY not in session_data(client.cookies[STORE_COOKIE].value)
    assert login(Client(), jane.email, NEW_PASSWORD).status_code == 302

    # The link is spent: neither this browser nor another can use it again.
    password_hash = jane.password
    for browser in (client, Client()):
        again = browser.get(link, follow=True)
        assert again.redirect_chain[-1][0] == "/en/customer/account/forgotpassword/"
        assert "Your password reset link has expired or was already used." in messages_of(again)
        third = {"new_password": "Third-Secret-99", "new_password_confirmation": "Third-Secret-99"}
        assert browser.post(set_password_url, third).status_code == 302
    jane.refresh_from_db()
    assert jane.password == password_hash


def test_password_reset_with_a_weak_password_keeps_the_old_one(jane, mailoutbox):
    client = Client()
    request_reset(client, jane.email)
    set_password_url = client.get(reset_link(mailoutbox[0]))["Location"]
    before = customers_snapshot()

    response = client.post(
        set_password_url,
        {"new_password": "password123", "new_password_confirmation": "password123"},
    )

    assert response.status_code == 200
    assert "This password is too common." in form_errors(response)
    assert customers_snapshot() == before


def tamper(link: str, part: str) -> str:
    prefix, uidb64, token, _ = link.rsplit("/", 3)
    if part == "token":
        token = token[:-1] + ("a" if token[-1] != "a" else "b")
    else:
        uidb64 = "OTk5OTk"  # base64 of a customer id that does not exist
    return f"{prefix}/{uidb64}/{token}/"


@pytest.mark.parametrize("part", ["token", "uid"])
def test_tampered_password_reset_link_is_refused(jane, mailoutbox, part):
    client = Client()
    request_reset(client, jane.email)
    link = tamper(reset_link(mailoutbox[0]), part)
    before = customers_snapshot()

    response = client.get(link, follow=True)

    assert response.redirect_chain[-1][0] == "/en/customer/account/forgotpassword/"
    assert "Your password reset link has expired or was already used." in messages_of(response)
    session_cookie = client.cookies.get(STORE_COOKIE)
    assert session_cookie is None or RESET_SESSION_KEY not in session_data(session_cookie.value)
    assert customers_snapshot() == before


def test_password_reset_link_of_one_customer_does_not_open_another_account(jane, marie, mailoutbox):
    client = Client()
    request_reset(client, jane.email)
    prefix, _uid, token, _ = reset_link(mailoutbox[0]).rsplit("/", 3)
    marie_link = f"{prefix}/{urlsafe_base64_encode(force_bytes(marie.pk))}/{token}/"
    before = customers_snapshot()

    response = client.get(marie_link, follow=True)

    assert response.redirect_chain[-1][0] == "/en/customer/account/forgotpassword/"
    assert customers_snapshot() == before


# --- admin: Customers › All Customers ---------------------------------------------------------


def changelist(client, **params):
    return client.get(reverse("admin:customers_customer_changelist"), params)


def listed_emails(response) -> list[str]:
    return [customer.email for customer in response.context["cl"].result_list]


def test_customer_grid_shows_the_columns(administrator, jane, admin_client_for):
    response = changelist(admin_client_for(administrator))

    assert response.status_code == 200
    html = response.content.decode()
    headers = re.findall(
        r'<th scope="col" class="[^"]*column-(\w+)[^"]*">.*?<a href="[^"]*">([^<]+)</a>', html, re.S
    )
    expected = [
        ("id", "ID"),
        ("name", "Name"),
        ("email", "E-mail"),
        ("website", "Website"),
        ("created_in", "Created in"),
        ("is_active", "Active"),
    ]
    # In this order; other apps may add columns of their own.
    assert [header for header in headers if header in expected] == expected
    row = re.search(rf"<tr>.*?{re.escape(jane.email)}.*?</tr>", html, re.S).group(0)
    for cell in (f">{jane.pk}<", ">Jane Doe<", ">Main Website<", ">English<", 'alt="True"'):
        assert cell in row
    assert listed_emails(response) == list(Customer.objects.values_list("email", flat=True))


def test_customer_grid_search_by_email(administrator, demo, admin_client_for):
    response = changelist(admin_client_for(administrator), q="marie.dupont@example.com")

    assert listed_emails(response) == ["marie.dupont@example.com"]


def test_customer_grid_filters_by_website_and_active(
    administrator, chen, outlet_view, admin_client_for
):
    client = admin_client_for(administrator)
    outlet_customer = Customer(
        website=outlet_view.store.website,
        created_in=outlet_view,
        first_name="Olive",
        last_name="Outlet",
        email="olive@example.com",
    )
    outlet_customer.set_password(PASSWORD)
    outlet_customer.save()
    Customer.objects.filter(pk=chen.pk).update(is_active=False)

    by_website = changelist(client, website__id__exact=outlet_view.store.website_id)
    inactive = changelist(client, is_active__exact="0")
    active_main = changelist(client, is_active__exact="1", website__id__exact=chen.website_id)

    assert "By website" in changelist(client).content.decode()
    assert listed_emails(by_website) == ["olive@example.com"]
    assert listed_emails(inactive) == ["chen.wei@example.com"]
    assert "olive@example.com" not in listed_emails(active_main)
    assert "chen.wei@example.com" not in listed_emails(active_main)
    assert listed_emails(active_main) == list(
        Customer.objects.filter(website_id=chen.website_id, is_active=True).values_list(
            "email", flat=True
        )
    )
    assert "jane.doe@example.com" in listed_emails(active_main)


def test_customer_edit_page_has_customer_and_account_information(
    administrator, jane, admin_client_for
):
    response = admin_client_for(administrator).get(
        reverse("admin:customers_customer_change", args=[jane.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Customer Information" in html
    assert "Account Information" in html
    assert html.index("Customer Information") < html.index("Account Information")
    for name in ("website", "created_in", "first_name", "last_name", "email", "is_active"):
        assert f'name="{name}"' in html
    assert 'value="jane.doe@example.com"' in html


def test_customer_names_are_escaped_in_the_grid_edit_page_and_storefront(
    administrator, jane, admin_client_for
):
    Customer.objects.filter(pk=jane.pk).update(first_name=XSS, last_name=XSS)
    admin = admin_client_for(administrator)
    customer_client = login_customer_client(Client(), jane)

    pages = {
        "grid": changelist(admin),
        "edit page": admin.get(reverse("admin:customers_customer_change", args=[jane.pk])),
        "storefront": customer_client.get("/en/"),
    }

    for page, response in pages.items():
        html = response.content.decode()
        assert XSS not in html, page
        assert ESCAPED_XSS in html, page
    greeting = re.search(
        r'<span class="sf-greeting">(.*?)</span>', pages["storefront"].content.decode()
    )
    assert greeting.group(1) == f"Welcome, {ESCAPED_XSS} {ESCAPED_XSS}!"
