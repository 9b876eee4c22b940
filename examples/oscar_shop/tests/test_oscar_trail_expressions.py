"""What the trail records (``contrib/oscar/trail.py``) when a shop's own view — a fork of one of
Oscar's — saves the customer's things in an assisted session in two ways Oscar's views do not:

* with a value the database computes (``line.quantity = F("quantity") + 1``): the instance
  keeps the expression after its save, the entry says the value saved. Before: the expression
  went into the entry's details, which could not be written (``TypeError: Object of type
  CombinedExpression is not JSON serializable``: the request failed, its change rolled back),
  or was compared as text with what the row had (a change recorded where none was);
* through a proxy of a followed model: Django sends its signals with the proxy as sender.
  Before: nothing was recorded, and a wish list deleted through one was recorded as each of
  its lines removed, not as the wish list deleted."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.http import HttpResponse
from django.urls import path
from oscar.core.loading import get_model

from login_as_customer.models import AssistedAction
from oscar_shop.urls import urlpatterns as shop_urlpatterns
from tests.assisted import entries, readable

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")
ProductReview = get_model("reviews", "ProductReview")
UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")
WishListLine = get_model("wishlists", "Line")
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


# -- the shop's own models and views -------------------------------------------------------------

PROXIES = "oscar_shop_trail_tests"  # not an installed app: no table, no migration


class ShopLine(Line):
    class Meta:
        proxy = True
        app_label = PROXIES


class ShopAddress(UserAddress):
    class Meta:
        proxy = True
        app_label = PROXIES


class ShopCustomer(get_user_model()):
    class Meta:
        proxy = True
        app_label = PROXIES


class ShopWishList(WishList):
    class Meta:
        proxy = True
        app_label = PROXIES


class GiftList(ShopWishList):  # a proxy of a proxy
    class Meta:
        proxy = True
        app_label = PROXIES


class ShopReview(ProductReview):
    class Meta:
        proxy = True
        app_label = PROXIES


def done():
    return HttpResponse("saved")


def more_in_the_cart(request, pk):
    """Adds to a line in the database (no update lost to a concurrent one), ``times`` times."""
    line = Line.objects.get(pk=pk, basket__owner=request.user)
    for _ in range(int(request.POST["times"])):
        line.quantity = F("quantity") + 1
        line.save()
    return done()


def more_in_the_wishlist(request, pk):
    line = WishListLine.objects.get(pk=pk, wishlist__owner=request.user)
    line.quantity = F("quantity") + 2
    line.save()
    return done()


def rename_wishlist(request, pk):
    wishlist = WishList.objects.get(pk=pk, owner=request.user)
    wishlist.name = Concat(F("name"), Value(" 2025"))
    wishlist.save()
    return done()


def fewer_then_none_in_the_wishlist(request, pk):
    """Lowers the line's quantity in the database, then removes the line."""
    line = WishListLine.objects.get(pk=pk, wishlist__owner=request.user)
    line.quantity = F("quantity") - 1
    line.save()
    line.quantity = F("quantity") - 1  # not saved: the row is deleted as it was stored
    line.delete()
    return done()


def rename_then_delete_wishlist(request, pk):
    wishlist = WishList.objects.get(pk=pk, owner=request.user)
    wishlist.name = Concat(F("name"), Value(" (old)"))
    wishlist.save()
    wishlist.delete()
    return done()


def review_scored_by_the_database(request):
    ProductReview.objects.create(
        product=Product.objects.get(upc="SA-MUG-001"),
        user=request.user,
        title=Concat(Value("Nice "), Value("mug")),
        score=Value(4),
        body="Holds tea.",
    )
    return done()


def keep_first_name(request):
    """Saves the profile with the first name as stored (``F``) and a new last name."""
    user = get_user_model().objects.get(pk=request.user.pk)
    user.first_name = F("first_name")
    if "last_name" in request.POST:
        user.last_name = request.POST["last_name"]
    user.save()
    return done()


def cart_by_proxy(request):
    """Adds the beanie, sets the mug's quantity and removes the mug, through ``ShopLine``."""
    basket = Basket.objects.get(owner=request.user, status=Basket.OPEN)
    hat = Product.objects.get(upc="SA-HAT-001")
    stockrecord = hat.stockrecords.get()
    ShopLine.objects.create(
        basket=basket,
        line_reference=f"{hat.pk}_{stockrecord.pk}",
        product=hat,
        stockrecord=stockrecord,
        quantity=2,
        price_currency="EUR",
    )
    mug = ShopLine.objects.get(basket=basket, product__upc="SA-MUG-001")
    mug.quantity = 4
    mug.save()
    mug.delete()
    return done()


def address_by_proxy(request):
    address = ShopAddress.objects.create(
        user=request.user,
        first_name="Jane",
        last_name="Doe",
        line1="2 Low Road",
        line4="Leeds",
        postcode="LS1 1AA",
        country_id="GB",
    )
    address.line4 = "York"
    address.save()
    address.delete()
    return done()


def account_by_proxy(request):
    customer = ShopCustomer.objects.get(pk=request.user.pk)
    for field, value in request.POST.items():
        setattr(customer, field, value)
    customer.save()
    return done()


def wishlist_by_proxy(request):
    wishlist = GiftList.objects.create(owner=request.user, name="Gifts")
    for upc in ("SA-MUG-001", "SA-HAT-001"):
        wishlist.add(Product.objects.get(upc=upc))
    ShopWishList.objects.get(pk=wishlist.pk).delete()
    return done()


def review_by_proxy(request):
    ShopReview.objects.create(
        product=Product.objects.get(upc="SA-MUG-001"),
        user=request.user,
        title="Nice mug",
        score=5,
        body="Holds tea.",
    )
    return done()


urlpatterns = [
    path("shop/cart-lines/<int:pk>/more/", more_in_the_cart),
    path("shop/wishlist-lines/<int:pk>/more/", more_in_the_wishlist),
    path("shop/wishlists/<int:pk>/rename/", rename_wishlist),
    path("shop/wishlist-lines/<int:pk>/fewer-then-none/", fewer_then_none_in_the_wishlist),
    path("shop/wishlists/<int:pk>/rename-then-delete/", rename_then_delete_wishlist),
    path("shop/reviews/scored-by-the-database/", review_scored_by_the_database),
    path("shop/profile/keep-first-name/", keep_first_name),
    path("shop/proxy/cart/", cart_by_proxy),
    path("shop/proxy/address/", address_by_proxy),
    path("shop/proxy/account/", account_by_proxy),
    path("shop/proxy/wishlist/", wishlist_by_proxy),
    path("shop/proxy/review/", review_by_proxy),
    *shop_urlpatterns,
]


# -- helpers -------------------------------------------------------------------------------------


def domain_entries():
    """The actions of the readable entries so far (not the generic ``request`` ones)."""
    return list(
        AssistedAction.objects.exclude(action__in=["start", "redeem", "request"])
        .order_by("pk")
        .values_list("action", flat=True)
    )


def product(upc):
    return Product.objects.get(upc=upc)


def in_cart(browser, upc):
    assert browser.post(f"/basket/add/{product(upc).pk}/", {"quantity": 1}).status_code == 302


def wishlist_with_mug(browser, jane):
    form = {
        "name": "Presents",
        "visibility": WishList.PRIVATE,
        "shared_emails-TOTAL_FORMS": "0",
        "shared_emails-INITIAL_FORMS": "0",
        "shared_emails-MIN_NUM_FORMS": "0",
        "shared_emails-MAX_NUM_FORMS": "1000",
    }
    assert browser.post("/accounts/wishlists/create/", form).status_code == 302
    wishlist = WishList.objects.get(owner=jane)
    added = browser.get(f"/accounts/wishlists/{wishlist.key}/add/{product('SA-MUG-001').pk}/")
    assert added.status_code == 302
    return wishlist


# -- values the database computes ----------------------------------------------------------------


def test_a_cart_quantity_raised_in_the_database_records_the_quantities_saved(assisting, jane):
    """Twice in one request: the second save applies the expression again (Django's), and its
    entry starts from what the first one saved."""
    in_cart(assisting, "SA-MUG-001")
    line = Line.objects.get(basket__owner=jane, basket__status=Basket.OPEN)

    assert assisting.post(f"/shop/cart-lines/{line.pk}/more/", {"times": 2}).status_code == 200

    line.refresh_from_db()
    assert line.quantity == 3
    basket = line.basket_id
    assert [entry.details for entry in readable("cart.update")] == [
        {"sku": "SA-MUG-001", "qty": 2, "previous_qty": 1, "basket_id": basket},
        {"sku": "SA-MUG-001", "qty": 3, "previous_qty": 2, "basket_id": basket},
    ]


def test_a_wish_list_quantity_raised_in_the_database_records_the_quantity_saved(assisting, jane):
    line = wishlist_with_mug(assisting, jane).lines.get()

    assert assisting.post(f"/shop/wishlist-lines/{line.pk}/more/").status_code == 200

    line.refresh_from_db()
    assert line.quantity == 3
    (updated,) = readable("wishlist.line_update")
    assert updated.details == {
        "wishlist_id": line.wishlist_id,
        "sku": "SA-MUG-001",
        "qty": 3,
        "previous_qty": 1,
    }


def test_a_wish_list_renamed_in_the_database_records_the_name_saved(assisting, jane):
    wishlist = wishlist_with_mug(assisting, jane)

    assert assisting.post(f"/shop/wishlists/{wishlist.pk}/rename/").status_code == 200

    wishlist.refresh_from_db()
    assert wishlist.name == "Presents 2025"
    (updated,) = readable("wishlist.update")
    assert updated.details == {
        "wishlist_id": wishlist.pk,
        "name": "Presents 2025",
        "changed": ["name"],
    }


def test_a_wish_list_line_lowered_in_the_database_then_removed_records_what_was_stored(
    assisting, jane
):
    """Found by review: the deletion's entry took the expression the line still held."""
    line = wishlist_with_mug(assisting, jane).lines.get()
    line.quantity = 3
    line.save()

    assert assisting.post(f"/shop/wishlist-lines/{line.pk}/fewer-then-none/").status_code == 200

    assert not WishListLine.objects.filter(pk=line.pk).exists()
    (lowered,) = readable("wishlist.line_update")
    assert (lowered.details["qty"], lowered.details["previous_qty"]) == (2, 3)
    (removed,) = readable("wishlist.remove")
    assert removed.details == {"wishlist_id": line.wishlist_id, "sku": "SA-MUG-001", "qty": 2}


def test_a_wish_list_renamed_in_the_database_then_deleted_records_its_last_name(assisting, jane):
    wishlist = wishlist_with_mug(assisting, jane)

    assert assisting.post(f"/shop/wishlists/{wishlist.pk}/rename-then-delete/").status_code == 200

    assert not WishList.objects.filter(pk=wishlist.pk).exists()
    (deleted,) = readable("wishlist.delete")
    assert deleted.details == {"wishlist_id": wishlist.pk, "name": "Presents (old)"}


def test_a_review_whose_values_the_database_computes_records_them(assisting, jane):
    assert assisting.post("/shop/reviews/scored-by-the-database/").status_code == 200

    review = ProductReview.objects.get(user=jane)
    (written,) = readable("review.add")
    assert written.details == {
        "review_id": review.pk,
        "sku": "SA-MUG-001",
        "title": "Nice mug",
        "score": 4,
    }


def test_a_field_saved_as_it_was_by_an_expression_is_not_a_change(assisting, jane):
    """``F("first_name")`` writes the stored name again. Before: an ``account.update`` said
    the first name changed (the expression's text is not the name)."""
    profile = ("first_name", "last_name", "email", "password")
    before = get_user_model().objects.values(*profile).get(pk=jane.pk)

    assert assisting.post("/shop/profile/keep-first-name/").status_code == 200

    assert get_user_model().objects.values(*profile).get(pk=jane.pk) == before
    assert not entries("account.update").exists()

    assert (
        assisting.post("/shop/profile/keep-first-name/", {"last_name": "Smith"}).status_code == 200
    )

    (updated,) = readable("account.update")
    assert updated.details == {"changed": ["last_name"]}


# -- proxies of the followed models --------------------------------------------------------------


def test_the_cart_changed_through_a_proxy_is_recorded(assisting, jane):
    in_cart(assisting, "SA-MUG-001")

    assert assisting.post("/shop/proxy/cart/").status_code == 200

    lines = Line.objects.filter(basket__owner=jane, basket__status=Basket.OPEN)
    assert dict(lines.values_list("product__upc", "quantity")) == {"SA-HAT-001": 2}
    assert domain_entries() == ["cart.add", "cart.add", "cart.update", "cart.remove"]
    (_, added), (updated,), (removed,) = map(readable, ["cart.add", "cart.update", "cart.remove"])
    assert (added.details["sku"], added.details["qty"], added.details["previous_qty"]) == (
        ("SA-HAT-001", 2, 0)
    )
    assert (updated.details["qty"], updated.details["previous_qty"]) == (4, 1)
    assert (removed.details["sku"], removed.details["previous_qty"]) == ("SA-MUG-001", 4)


def test_the_address_book_changed_through_a_proxy_is_recorded(assisting, jane):
    assert assisting.post("/shop/proxy/address/").status_code == 200

    assert list(jane.addresses.values_list("line4", flat=True)) == ["London"]
    assert domain_entries() == ["address.add", "address.update", "address.delete"]
    (added,), (updated,), (deleted,) = map(
        readable, ["address.add", "address.update", "address.delete"]
    )
    assert added.details["city"] == "Leeds"
    assert (updated.details["city"], updated.details["changed"]) == ("York", ["line4"])
    assert deleted.details["city"] == "York"
    # Named by the address model, as an address changed without the proxy is.
    assert {e.target_type for e in (added, updated)} == {"address.useraddress"}


def test_the_profile_changed_through_a_proxy_is_recorded_and_its_email_refused(assisting, jane):
    assert assisting.post("/shop/proxy/account/", {"first_name": "Janet"}).status_code == 200

    (updated,) = readable("account.update")
    assert updated.details == {"changed": ["first_name"]}

    profile = ("first_name", "last_name", "email", "password")
    before = get_user_model().objects.values(*profile).get(pk=jane.pk)
    refused = assisting.post(
        "/shop/proxy/account/", {"last_name": "Taker", "email": "taker@evil.test"}
    )

    assert refused.status_code == 403
    assert get_user_model().objects.values(*profile).get(pk=jane.pk) == before
    assert entries("account.blocked").get().details["fields"] == ["email"]
    assert entries("account.update").count() == 1  # the refused save changed nothing


def test_a_wish_list_deleted_through_a_proxy_is_one_entry(assisting, jane):
    """A proxy of a proxy: created, two products added, deleted with its lines."""
    assert assisting.post("/shop/proxy/wishlist/").status_code == 200

    assert not WishList.objects.filter(owner=jane).exists()
    assert domain_entries() == [
        "wishlist.create",
        "wishlist.add",
        "wishlist.add",
        "wishlist.delete",
    ]
    assert readable("wishlist.delete")[0].details["name"] == "Gifts"


def test_a_review_written_through_a_proxy_is_recorded(assisting, jane):
    assert assisting.post("/shop/proxy/review/").status_code == 200

    review = ProductReview.objects.get(user=jane)
    (written,) = readable("review.add")
    assert (written.target_type, written.target_id) == ("reviews.productreview", str(review.pk))
    assert written.details == {
        "review_id": review.pk,
        "sku": "SA-MUG-001",
        "title": "Nice mug",
        "score": 5,
    }
