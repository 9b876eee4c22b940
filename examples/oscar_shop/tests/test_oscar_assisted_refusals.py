"""What an administrator may not do for the customer in an assisted session on a stock Oscar
shop (SPEC §6), and what Oscar changes on a GET: each refusal answers with its message, leaves
the account as it was and is in the session's journal."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.signing import Signer
from django.test import Client
from oscar.core.loading import get_model

from login_as_customer.models import AssistedAction, AssistedSession

Basket = get_model("basket", "Basket")
Email = get_model("communication", "Email")
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")
UserAddress = get_model("address", "UserAddress")
pytestmark = pytest.mark.django_db


def entries(action):
    return AssistedAction.objects.filter(action=action)


def account_of(user):
    """What a takeover would change: the e-mail and the password hash."""
    return get_user_model().objects.values("email", "password").get(pk=user.pk)


# -- the e-mail, the password, the account ----------------------------------------------------


def test_the_email_cannot_be_changed_on_oscars_profile_page(assisting, jane):
    before = account_of(jane)
    emails_before = Email.objects.count()

    refused = assisting.post(
        "/accounts/profile/edit/",
        {"first_name": "Jane", "last_name": "Doe", "email": "taker@evil.test"},
    )

    assert refused.status_code == 403
    assert "The e-mail address cannot be changed during an assisted session." in (
        refused.content.decode()
    )
    assert account_of(jane) == before
    assert mail.outbox == [] and Email.objects.count() == emails_before
    blocked = entries("account.blocked").get()
    assert blocked.outcome == "denied" and blocked.details["fields"] == ["email"]
    request = entries("request").get(details__view="customer:profile-update")
    assert request.outcome == "denied" and request.details["status"] == 403
    assert AssistedSession.objects.get().ended_at is None  # refused, not ended


def test_the_rest_of_the_profile_can_still_be_changed(assisting, jane):
    saved = assisting.post(
        "/accounts/profile/edit/",
        {"first_name": "Janet", "last_name": "Doe", "email": "jane.doe@EXAMPLE.com"},
    )

    assert saved.status_code == 302
    jane.refresh_from_db()
    assert (jane.first_name, jane.email) == ("Janet", "jane.doe@example.com")
    assert not entries("account.blocked").exists()


def test_the_password_cannot_be_changed(assisting, jane):
    before = account_of(jane)

    refused = assisting.post(
        "/accounts/change-password/",
        {
            "old_password": "demo-customer",
            "new_password1": "taken-over-1234",
            "new_password2": "taken-over-1234",
        },
    )

    assert refused.status_code == 403
    assert "The password cannot be changed during an assisted session." in (
        refused.content.decode()
    )
    assert account_of(jane) == before
    assert mail.outbox == []
    assert entries("account.blocked").get().details["fields"] == ["password"]
    assert AssistedSession.objects.get().ended_at is None


def test_the_account_cannot_be_deleted(assisting, jane):
    refused = assisting.post("/accounts/profile/delete/", {"password": "demo-customer"})

    assert refused.status_code == 403
    assert "The account cannot be deleted during an assisted session." in (refused.content.decode())
    assert get_user_model().objects.filter(pk=jane.pk, is_active=True).exists()
    assert entries("account_deletion.blocked").get().outcome == "denied"
    assert AssistedSession.objects.get().ended_at is None


def test_oscars_password_reset_is_closed_to_the_session(assisting, jane):
    """Oscar's password reset pages are for signed-out browsers only (``login_forbidden``)."""
    before = account_of(jane)

    assert assisting.post("/password-reset/", {"email": jane.email}).status_code == 403

    assert account_of(jane) == before and mail.outbox == []


@pytest.mark.urls("tests.shop_own_urls")
@pytest.mark.parametrize(
    ("method", "field", "value"),
    [
        ("post", "email", "taker@evil.test"),
        ("get", "email", "taker@evil.test"),
        ("post", "password", "taken-over-1234"),
    ],
)
def test_any_other_view_that_writes_the_credentials_is_refused_at_the_save(
    assisting, jane, method, field, value
):
    """The guard on the account's save: a view of the shop's own (not Oscar's), even a GET."""
    before = account_of(jane)

    refused = getattr(assisting, method)("/accounts/quick-change/", {field: value})

    assert refused.status_code == 403
    says = {"email": "The e-mail address cannot", "password": "The password cannot"}[field]
    assert f"{says} be changed during an assisted session." in refused.content.decode()
    assert account_of(jane) == before
    assert entries("account.blocked").get().details["fields"] == [field]
    assert AssistedSession.objects.get().ended_at is None  # refused before it could end it


@pytest.mark.urls("tests.shop_own_urls")
def test_a_shops_own_reset_link_form_is_refused_by_its_oscar_name(assisting, customer):
    """Another account's reset link, opened in the assisted browser, on a form of the shop's own
    routed under Oscar's name: refused by the name (the account guard protects only the
    session's customer, and the view is not django.contrib.auth's class)."""
    marie = customer("Marie")
    before = account_of(marie)

    refused = assisting.post(
        f"/own-reset/{marie.pk}/some-token/", {"new_password1": "taken-over-1234"}
    )

    assert refused.status_code == 403
    assert account_of(marie) == before
    blocked = entries("account.blocked").get()
    assert blocked.details == {"fields": ["password"], "view": "password-reset-confirm"}


@pytest.mark.urls("tests.shop_own_urls")
def test_the_customer_changes_her_own_email(customer_browser, jane):
    browser = customer_browser("jane.doe@example.com")

    assert browser.post("/accounts/quick-change/", {"email": "jane@new.test"}).status_code == 200

    jane.refresh_from_db()
    assert jane.email == "jane@new.test"
    assert not entries("account.blocked").exists()


# -- the mail Oscar keeps ----------------------------------------------------------------------


@pytest.fixture
def reset_mail(jane):
    """A password-reset mail Jane asked for in her own browser, as Oscar keeps it."""
    return Email.objects.create(
        user=jane,
        email=jane.email,
        subject="Resetting your password",
        body_text="http://testserver/password-reset/confirm/MQ/livereset7token/",
        body_html='<a href="http://testserver/password-reset/confirm/MQ/livereset7token/">',
    )


@pytest.mark.parametrize("page", ["list", "detail"])
def test_the_customers_mail_is_not_shown(assisting, reset_mail, page):
    url = "/accounts/emails/" if page == "list" else f"/accounts/emails/{reset_mail.pk}/"

    refused = assisting.get(url)

    assert refused.status_code == 403
    html = refused.content.decode()
    assert "livereset7token" not in html and "Resetting your password" not in html
    assert "This page is not shown during an assisted session" in html
    blocked = entries("private_page.blocked").get()
    assert blocked.outcome == "denied"
    assert blocked.details["view"] == f"customer:email-{page}"


def test_the_customer_reads_her_own_mail(customer_browser, reset_mail):
    page = customer_browser("jane.doe@example.com").get(f"/accounts/emails/{reset_mail.pk}/")
    assert page.status_code == 200 and "livereset7token" in page.content.decode()


# -- what Oscar changes on a GET ---------------------------------------------------------------


@pytest.fixture
def second_address(jane):
    first = jane.addresses.get()
    return UserAddress.objects.create(
        user=jane,
        first_name="Jane",
        last_name="Doe",
        line1="2 Low Street",
        line4="Leeds",
        postcode="LS1 1AA",
        country=first.country,
    )


@pytest.fixture
def alert(jane):
    beanie = Product.objects.get(upc="SA-HAT-001")
    return ProductAlert.objects.create(
        user=jane, product=beanie, status=ProductAlert.ACTIVE, key="janes-beanie-alert"
    )


def defaults_of(jane):
    return list(
        jane.addresses.order_by("pk").values_list(
            "is_default_for_billing", "is_default_for_shipping"
        )
    )


def test_a_view_only_session_sets_no_default_address(viewing, jane, second_address):
    before = defaults_of(jane)

    refused = viewing.get(f"/accounts/addresses/{second_address.pk}/default_for_billing/")

    assert refused.status_code == 403
    assert "This is a view-only session: nothing can be changed." in refused.content.decode()
    assert defaults_of(jane) == before
    assert entries("view_only_refused").get().details == {
        "view": "customer:address-change-status",
        "method": "GET",
    }


def test_a_view_only_session_cancels_no_stock_alert(viewing, alert):
    for url in (
        f"/accounts/alerts/cancel/{alert.pk}/",
        f"/accounts/alerts/cancel/key/{alert.key}/",
    ):
        assert viewing.get(url).status_code == 403, url
    alert.refresh_from_db()
    assert alert.status == ProductAlert.ACTIVE and alert.date_cancelled is None
    assert entries("view_only_refused").count() == 2


def test_a_full_session_records_the_writing_gets(assisting, jane, second_address, alert):
    assert (
        assisting.get(f"/accounts/addresses/{second_address.pk}/default_for_billing/").status_code
        == 302
    )
    assert assisting.get(f"/accounts/alerts/cancel/{alert.pk}/").status_code == 302

    second_address.refresh_from_db()
    alert.refresh_from_db()
    assert second_address.is_default_for_billing and alert.status == ProductAlert.CANCELLED
    recorded = entries("request").filter(details__method="GET")
    assert sorted(recorded.values_list("details__view", flat=True)) == [
        "customer:address-change-status",
        "customer:alerts-cancel-by-pk",
    ]


def test_a_reading_get_is_not_recorded(assisting):
    assert assisting.get("/accounts/addresses/").status_code == 200
    assert not entries("request").filter(details__method="GET").exists()


def anonymous_basket_cookie():
    """An anonymous basket with a beanie, made in another browser: its cookie's value."""
    beanie = Product.objects.get(upc="SA-HAT-001")
    other = Client()
    other.post(f"/basket/add/{beanie.pk}/", {"quantity": 1})
    value = other.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value
    basket = Basket.objects.get(pk=Signer().unsign(value))
    assert basket.owner is None and basket.lines.count() == 1
    return value, basket


@pytest.mark.parametrize("mode", ["full", "view_only"])
def test_an_anonymous_basket_cookie_is_never_merged_during_the_session(request, jane, mode):
    browser = request.getfixturevalue("assisting" if mode == "full" else "viewing")
    lines_before = list(Line.objects.filter(basket__owner=jane).values_list("pk", "quantity"))
    value, anonymous = anonymous_basket_cookie()
    browser.cookies[settings.OSCAR_BASKET_COOKIE_OPEN] = value  # set after the redemption

    page = browser.get("/basket/")

    assert page.status_code == 200
    assert "Wool Beanie" not in page.content.decode()
    lines = list(Line.objects.filter(basket__owner=jane).values_list("pk", "quantity"))
    assert lines == lines_before
    anonymous.refresh_from_db()
    assert anonymous.status == Basket.OPEN and anonymous.lines.count() == 1
