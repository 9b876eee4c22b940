"""An audit of Oscar's customer-facing pages in an assisted session, against SPEC §6: what is
blocked is refused with the feature's message and a ``*.blocked`` entry, and changes nothing;
everything else applies to the customer's account and gets a readable entry naming the
administrator — the customer's Assisted sessions page says what was done, and an order says
who placed it. (test_oscar_assisted_refusals.py covers the profile's e-mail, the password
form, the deletion and the stored mail; test_oscar_sign_in_refusals.py signing in.)"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from oscar.core.loading import get_model

from login_as_customer.models import AssistedAction, AssistedSession
from oscar_shop import urls as shop_urls
from tests.assisted import entries, readable

Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Email = get_model("communication", "Email")
Line = get_model("basket", "Line")
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")
ProductReview = get_model("reviews", "ProductReview")
Range = get_model("offer", "Range")
UserAddress = get_model("address", "UserAddress")
Vote = get_model("reviews", "Vote")
Voucher = get_model("voucher", "Voucher")
WishList = get_model("wishlists", "WishList")
pytestmark = pytest.mark.django_db

PLACED_BY_STAFF = "Order placed by store administrator"


def history(browser) -> str:
    """My Account › Assisted sessions, as the session shows it (what the customer reads)."""
    html = browser.get("/customer/assisted-sessions/").content.decode()
    return html.replace('<span class="lac-nowrap">', "").replace("</span>", "")


def account_of(user):
    return get_user_model().objects.values("email", "password").get(pk=user.pk)


def product(upc):
    return Product.objects.get(upc=upc)


# -- the password, by Oscar's reset pages --------------------------------------------------------


def reset_confirm_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/password-reset/confirm/{uid}/{default_token_generator.make_token(user)}/"


@pytest.mark.parametrize("page", ["reset", "confirm"])
def test_oscars_password_reset_is_refused_with_the_features_message_and_entry(
    assisting, jane, page
):
    """Before: Oscar's own "not while signed in" page (``login_forbidden``) answered: nothing
    said why, and the journal had no ``account.blocked`` entry, only a denied request."""
    before, emails_before = account_of(jane), Email.objects.count()
    if page == "reset":
        url, form = "/password-reset/", {"email": jane.email}
    else:
        url = reset_confirm_url(jane)
        form = {"new_password1": "taken-over-1234", "new_password2": "taken-over-1234"}

    refused = assisting.post(url, form)

    assert refused.status_code == 403
    assert "The password cannot be changed during an assisted session." in (
        refused.content.decode()
    )
    assert account_of(jane) == before
    assert mail.outbox == [] and Email.objects.count() == emails_before
    blocked = entries("account.blocked").get()
    assert blocked.outcome == "denied" and blocked.details["fields"] == ["password"]
    view = "password-reset" if page == "reset" else "password-reset-confirm"
    assert blocked.details["view"] == view
    assert AssistedSession.objects.get().ended_at is None


urlpatterns = [  # the shop's pages and django.contrib.auth's, as a shop may route both
    path("auth/", include("django.contrib.auth.urls")),
    *shop_urls.urlpatterns,
]


def test_djangos_own_reset_link_of_another_account_sets_no_password(assisting, customer, settings):
    """An Oscar shop that also routes django.contrib.auth's pages: the host asks the default
    host's refusal too. Before: Marie's reset link, opened in the assisted browser, set her
    password there (found by review)."""
    settings.ROOT_URLCONF = __name__
    marie = customer("Marie")
    before = account_of(marie)
    uid = urlsafe_base64_encode(force_bytes(marie.pk))
    form = assisting.get(f"/auth/reset/{uid}/{default_token_generator.make_token(marie)}/")
    assert form.status_code == 302

    refused = assisting.post(
        form["Location"], {"new_password1": "taken-over-1234", "new_password2": "taken-over-1234"}
    )

    assert refused.status_code == 403
    assert "The password cannot be changed during an assisted session." in (
        refused.content.decode()
    )
    assert account_of(marie) == before
    blocked = entries("account.blocked").get()
    assert blocked.details == {"fields": ["password"], "view": "password_reset_confirm"}


def test_a_view_only_session_is_refused_the_password_reset_as_a_change(viewing, jane):
    before = account_of(jane)

    assert viewing.post("/password-reset/", {"email": jane.email}).status_code == 403

    assert account_of(jane) == before and mail.outbox == []
    assert entries("view_only_refused").get().details["view"] == "password-reset"


def test_the_customer_resets_her_own_password_when_signed_out(jane):
    assert Client().post("/password-reset/", {"email": jane.email}).status_code == 302
    assert len(mail.outbox) == 1
    assert not AssistedAction.objects.exists()


# -- the cart ------------------------------------------------------------------------------------


def basket_lines(jane):
    return dict(
        Line.objects.filter(basket__owner=jane, basket__status=Basket.OPEN).values_list(
            "product__upc", "quantity"
        )
    )


def basket_form(line, **fields):
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": str(line.quantity),
    }
    form.update({f"form-0-{name}": value for name, value in fields.items()})
    return form


def test_the_cart_changes_are_recorded_and_shown_to_the_customer(assisting, jane):
    """Before: only a generic "request" entry per form, which the customer's page leaves out:
    it said "Nothing changed so far." while the administrator filled and emptied the cart."""
    mug = product("SA-MUG-001")

    assert assisting.post(f"/basket/add/{mug.pk}/", {"quantity": 1}).status_code == 302
    line = Line.objects.get(basket__owner=jane, product=mug)
    assert assisting.post("/basket/", basket_form(line, quantity="3")).status_code == 302
    assert basket_lines(jane) == {"SA-MUG-001": 3}
    assert assisting.post("/basket/", basket_form(line, DELETE="on")).status_code == 302
    assert basket_lines(jane) == {}

    (added,) = readable("cart.add")
    (updated,) = readable("cart.update")
    (removed,) = readable("cart.remove")
    assert (added.details["sku"], added.details["qty"]) == ("SA-MUG-001", 1)
    assert (updated.details["qty"], updated.details["previous_qty"]) == (3, 1)
    assert (removed.details["qty"], removed.details["previous_qty"]) == (0, 3)
    page = history(assisting)
    assert "Added to the cart: SA-MUG-001 × 1" in page
    assert "Changed a cart quantity: SA-MUG-001 × 3" in page
    assert "Removed from the cart: SA-MUG-001 × 0" in page
    assert "Nothing changed so far." not in page


def test_a_reorder_and_save_for_later_are_recorded(assisting, jane):
    order = Order.objects.get(user=jane)  # the demo's: a Leather Tote Bag

    reordered = assisting.post(f"/accounts/orders/{order.number}/", {"action": "reorder"})
    assert reordered.status_code == 302
    assert basket_lines(jane) == {"SA-BAG-001": 1}
    (added,) = readable("cart.add")
    assert added.details["sku"] == "SA-BAG-001"

    line = Line.objects.get(basket__owner=jane, basket__status=Basket.OPEN)
    assisting.post("/basket/", basket_form(line, save_for_later="on"))

    assert basket_lines(jane) == {}
    assert Line.objects.filter(basket__owner=jane, basket__status=Basket.SAVED).exists()
    (moved,) = readable("cart.remove")
    assert moved.details["sku"] == "SA-BAG-001" and moved.details["saved_for_later"] is True


@pytest.fixture
def voucher():
    everything = Range.objects.create(name="Everything", includes_all_products=True)
    offer = ConditionalOffer.objects.create(
        name="Ten off",
        offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(
            range=everything, type=Benefit.PERCENTAGE, value=Decimal("10")
        ),
    )
    now = timezone.now()
    code = Voucher.objects.create(
        name="Ten off",
        code="TENOFF",
        start_datetime=now - timedelta(days=1),
        end_datetime=now + timedelta(days=1),
    )
    code.offers.add(offer)
    return code


def test_a_voucher_added_and_removed_is_recorded(assisting, jane, voucher):
    assisting.post(f"/basket/add/{product('SA-MUG-001').pk}/", {"quantity": 1})

    assert assisting.post("/basket/vouchers/add/", {"code": "TENOFF"}).status_code == 302
    basket = Basket.objects.get(owner=jane, status=Basket.OPEN)
    assert list(basket.vouchers.values_list("code", flat=True)) == ["TENOFF"]
    assert assisting.post(f"/basket/vouchers/{voucher.pk}/remove/").status_code == 302
    assert not basket.vouchers.exists()

    assert readable("cart.voucher_add")[0].details["code"] == "TENOFF"
    assert readable("cart.voucher_remove")[0].details["code"] == "TENOFF"


# -- the address book and the profile ------------------------------------------------------------


def address_form(**fields):
    return {
        "first_name": "Jane",
        "last_name": "Doe",
        "line1": "2 Low Street",
        "line4": "Leeds",
        "postcode": "LS1 1AA",
        "country": "GB",
        **fields,
    }


def test_the_address_book_changes_are_recorded_and_shown_to_the_customer(assisting, jane):
    """Before: generic "request" entries only, none of them on the customer's page."""
    assert assisting.post("/accounts/addresses/add/", address_form()).status_code == 302
    new = jane.addresses.get(line1="2 Low Street")
    assert (
        assisting.post(f"/accounts/addresses/{new.pk}/", address_form(line1="3 Low Street"))
    ).status_code == 302
    assert assisting.get(f"/accounts/addresses/{new.pk}/default_for_shipping/").status_code == 302
    assert assisting.post(f"/accounts/addresses/{new.pk}/delete/").status_code == 302
    assert not jane.addresses.filter(pk=new.pk).exists()

    (added,) = readable("address.add")
    updated = readable("address.update")
    (deleted,) = readable("address.delete")
    assert added.details["address_id"] == new.pk and added.details["city"] == "Leeds"
    assert [entry.details["changed"] for entry in updated] == [
        ["line1"],
        ["is_default_for_shipping"],
    ]
    assert deleted.details["address_id"] == new.pk
    page = history(assisting)
    assert "Added an address" in page and "Changed an address" in page
    assert "Deleted an address" in page


def test_the_checkouts_address_book_pages_are_recorded(assisting, jane):
    assisting.post(f"/basket/add/{product('SA-MUG-001').pk}/", {"quantity": 1})
    address = jane.addresses.get()

    saved = assisting.post(
        f"/checkout/user-address/edit/{address.pk}/",
        address_form(line1="9 Hill Road", line4="London", postcode="SW1A 1AA"),
    )

    assert saved.status_code == 302
    address.refresh_from_db()
    assert address.line1 == "9 Hill Road"
    assert readable("address.update")[0].details["changed"] == ["line1"]


def test_a_name_changed_on_the_profile_is_recorded(assisting, jane):
    saved = assisting.post(
        "/accounts/profile/edit/",
        {"first_name": "Janet", "last_name": "Doe", "email": jane.email},
    )

    assert saved.status_code == 302
    (changed,) = readable("account.update")
    assert changed.details["changed"] == ["first_name"]
    assert "Changed account information" in history(assisting)
    assert not entries("account.blocked").exists()


def test_a_refused_profile_change_records_no_change(assisting, jane):
    """The e-mail is refused with the whole form: the new name is not saved either, and no
    entry says it was."""
    before = get_user_model().objects.values().get(pk=jane.pk)

    refused = assisting.post(
        "/accounts/profile/edit/",
        {"first_name": "Janet", "last_name": "Doe", "email": "taker@evil.test"},
    )

    assert refused.status_code == 403
    assert get_user_model().objects.values().get(pk=jane.pk) == before
    assert entries("account.blocked").get().outcome == "denied"
    assert not entries("account.update").exists()


def test_an_order_placed_records_no_address_change(assisting, jane):
    """Oscar counts the orders shipped to an address of the book: not a change to show."""
    place_order(assisting, jane)
    assert not entries("address.update").exists() and not entries("address.add").exists()


# -- the order -----------------------------------------------------------------------------------


def place_order(browser, jane):
    browser.post(f"/basket/add/{product('SA-MUG-001').pk}/", {"quantity": 1})
    browser.post(
        "/checkout/shipping-address/", {"action": "ship_to", "address_id": jane.addresses.get().pk}
    )
    browser.get("/checkout/shipping-method/")
    assert browser.post("/checkout/preview/", {"action": "place_order"}).status_code == 302
    return Order.objects.filter(user=jane).latest("date_placed")


def test_an_order_placed_by_the_administrator_says_so_to_the_customer(
    assisting, customer_browser, jane
):
    """SPEC §6: two comments, one the customer sees. Before: only the dashboard's note; the
    customer's order page did not say a store administrator placed the order."""
    order = place_order(assisting, jane)
    assisting.post("/login_as_customer/close/")

    own = customer_browser("jane.doe@example.com").get(f"/accounts/orders/{order.number}/")

    assert own.status_code == 200 and PLACED_BY_STAFF in own.content.decode()
    session = AssistedSession.objects.get()
    notes = {note.note_type: note for note in order.notes.all()}
    assert set(notes) == {OrderNote.SYSTEM, "Login as Customer"}
    assert notes[OrderNote.SYSTEM].user_id == session.admin_id  # the administrator, a field
    assert notes["Login as Customer"].message == PLACED_BY_STAFF
    assert "support" not in notes["Login as Customer"].message  # the customer's, no names
    other = Order.objects.exclude(pk=order.pk).get(user=jane)  # hers, from the demo
    assert (
        PLACED_BY_STAFF
        not in (
            customer_browser("jane.doe@example.com").get(f"/accounts/orders/{other.number}/")
        ).content.decode()
    )


# -- reviews -------------------------------------------------------------------------------------


def reviews_url(item, name, **kwargs):
    return reverse(
        f"catalogue:{name}", kwargs={"product_slug": item.slug, "product_pk": item.pk, **kwargs}
    )


def test_a_review_written_in_the_customers_name_records_the_administrator(assisting, jane):
    """Oscar publishes it at once under Jane's name. Before: nothing but a generic request
    entry said the administrator wrote it."""
    mug = product("SA-MUG-001")

    posted = assisting.post(
        reviews_url(mug, "reviews-add"), {"title": "Nice mug", "score": 5, "body": "Holds tea."}
    )

    assert posted.status_code == 302
    review = ProductReview.objects.get(product=mug)
    assert review.user == jane
    (written,) = readable("review.add")
    assert (written.target_type, written.target_id) == ("reviews.productreview", str(review.pk))
    assert written.details == {
        "review_id": review.pk,
        "sku": "SA-MUG-001",
        "title": "Nice mug",
        "score": 5,
    }
    assert "Wrote a product review: SA-MUG-001" in history(assisting)  # the customer's list


def test_a_vote_in_the_customers_name_is_recorded(assisting, customer):
    mug = product("SA-MUG-001")
    review = ProductReview.objects.create(
        product=mug, user=customer("Marie"), title="Good", score=4, body="Fine mug."
    )

    voted = assisting.post(reviews_url(mug, "reviews-vote", pk=review.pk), {"delta": Vote.UP})

    assert voted.status_code == 302
    assert Vote.objects.get(review=review).user == customer("Jane")
    (vote,) = readable("review.vote")
    assert vote.details == {"review_id": review.pk, "delta": Vote.UP}


# -- wish lists and stock alerts -----------------------------------------------------------------


def wishlist_form(**fields):
    return {
        "name": "Presents",
        "visibility": WishList.PRIVATE,
        "shared_emails-TOTAL_FORMS": "0",
        "shared_emails-INITIAL_FORMS": "0",
        "shared_emails-MIN_NUM_FORMS": "0",
        "shared_emails-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_the_wish_list_changes_are_recorded(assisting, jane):
    mug = product("SA-MUG-001")

    assert assisting.post("/accounts/wishlists/create/", wishlist_form()).status_code == 302
    wishlist = WishList.objects.get(owner=jane)
    key = wishlist.key
    assert assisting.get(f"/accounts/wishlists/{key}/add/{mug.pk}/").status_code == 302
    line = wishlist.lines.get()
    assert (
        assisting.post(
            f"/accounts/wishlists/{key}/update/", wishlist_form(name="Gifts")
        ).status_code
        == 302
    )
    assert assisting.post(f"/accounts/wishlists/{key}/lines/{line.pk}/delete/").status_code == 302
    assert assisting.post(f"/accounts/wishlists/{key}/delete/").status_code == 302
    assert not WishList.objects.filter(owner=jane).exists()

    assert readable("wishlist.create")[0].details["name"] == "Presents"
    assert readable("wishlist.add")[0].details["sku"] == "SA-MUG-001"
    assert readable("wishlist.update")[0].details["changed"] == ["name"]
    assert readable("wishlist.remove")[0].details["sku"] == "SA-MUG-001"
    assert readable("wishlist.delete")[0].details["name"] == "Gifts"
    assert len(entries("wishlist.delete")) == 1
    page = history(assisting)
    assert "Created a wish list" in page and "Deleted a wish list" in page
    assert "Added to a wish list: SA-MUG-001 × 1" in page


def test_deleting_a_wish_list_is_one_entry_not_one_per_line(assisting, jane):
    """Its lines and shared addresses go with it. Before: the customer's page listed each line
    as "Removed from a wish list" and "Stopped sharing a wish list" besides "Deleted a wish
    list", for one click (found by review)."""
    form = wishlist_form(
        visibility=WishList.SHARED,
        **{"shared_emails-TOTAL_FORMS": "1", "shared_emails-0-email": "friend@example.com"},
    )
    assert assisting.post("/accounts/wishlists/create/", form).status_code == 302
    key = WishList.objects.get(owner=jane).key
    for sku in ("SA-MUG-001", "SA-HAT-001"):
        assert assisting.get(f"/accounts/wishlists/{key}/add/{product(sku).pk}/").status_code == 302

    assert assisting.post(f"/accounts/wishlists/{key}/delete/").status_code == 302

    assert not WishList.objects.filter(owner=jane).exists()
    assert len(readable("wishlist.delete")) == 1
    assert not entries("wishlist.remove").exists()
    assert not entries("wishlist.unshare").exists()
    page = history(assisting)
    assert "Removed from a wish list" not in page and "Stopped sharing" not in page


def test_sharing_a_wish_list_by_email_is_recorded(assisting, jane):
    """Who may see the list is the customer's decision made for them: the address is in the
    entry."""
    form = wishlist_form(
        visibility=WishList.SHARED,
        **{"shared_emails-TOTAL_FORMS": "1", "shared_emails-0-email": "friend@example.com"},
    )

    assert assisting.post("/accounts/wishlists/create/", form).status_code == 302

    wishlist = WishList.objects.get(owner=jane)
    assert list(wishlist.shared_emails.values_list("email", flat=True)) == ["friend@example.com"]
    assert readable("wishlist.share")[0].details["email"] == "friend@example.com"


def test_a_stock_alert_created_and_cancelled_is_recorded(assisting, jane):
    beanie = product("SA-HAT-001")

    assert assisting.post(f"/accounts/alerts/create/{beanie.pk}/").status_code == 302
    alert = ProductAlert.objects.get(user=jane, product=beanie)
    assert assisting.get(f"/accounts/alerts/cancel/{alert.pk}/").status_code == 302

    alert.refresh_from_db()
    assert alert.status == ProductAlert.CANCELLED
    assert readable("alert.add")[0].details["sku"] == "SA-HAT-001"
    assert readable("alert.cancel")[0].details["sku"] == "SA-HAT-001"
    page = history(assisting)
    assert "Asked for a stock alert: SA-HAT-001" in page
    assert "Cancelled a stock alert: SA-HAT-001" in page


# -- nothing for the customer's own actions ------------------------------------------------------


def test_the_customers_own_changes_write_no_entry(customer_browser, jane):
    browser = customer_browser("jane.doe@example.com")
    browser.post(f"/basket/add/{product('SA-MUG-001').pk}/", {"quantity": 1})
    browser.post("/accounts/addresses/add/", address_form())
    browser.post(
        "/accounts/profile/edit/", {"first_name": "Janet", "last_name": "Doe", "email": jane.email}
    )
    browser.post("/accounts/wishlists/create/", wishlist_form())

    assert Line.objects.filter(basket__owner=jane).exists()
    assert jane.addresses.count() == 2 and WishList.objects.filter(owner=jane).exists()
    assert not AssistedAction.objects.exists()
