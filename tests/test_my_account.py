"""My Account: order history and order view (own orders only), reorder, address book."""

import pytest
from django.test import Client

from shopassist.cart.selectors import customer_cart
from shopassist.catalog.models import Product
from shopassist.customers.models import Address
from shopassist.customers.signals import address_changed
from shopassist.sales.models import Order
from tests.commerce import (
    SignalRecorder,
    cart_lines,
    commerce_snapshot,
    connected,
    messages_of,
    order_for,
)
from tests.conftest import login_customer_client

HISTORY_URL = "/en/sales/order/history/"
ADDRESSES_URL = "/en/customer/address/"
NEW_ADDRESS_URL = "/en/customer/address/new/"
SECOND_ADDRESS = {
    "first_name": "Jane",
    "last_name": "Doe",
    "street": "1 Office Park",
    "city": "Capital City",
    "postcode": "99999",
    "country": "us",
    "telephone": "",
}


def order_url(order):
    return f"/en/sales/order/view/{order.pk}/"


def reorder_url(order):
    return f"/en/sales/order/reorder/{order.pk}/"


def edit_url(address):
    return f"/en/customer/address/{address.pk}/edit/"


def delete_url(address):
    return f"/en/customer/address/{address.pk}/delete/"


def addresses_snapshot() -> list[dict]:
    return list(Address.objects.order_by("pk").values())


@pytest.fixture
def jane_client(jane):
    return login_customer_client(Client(), jane)


@pytest.fixture
def second_address(jane):
    return Address.objects.create(customer=jane, **{**SECOND_ADDRESS, "country": "US"})


# --- orders ------------------------------------------------------------------------------------


def test_order_history_lists_only_the_customers_own_orders(jane_client, jane):
    own = order_for(jane, {"SA-BAG-001": 1})

    response = jane_client.get(HISTORY_URL)

    assert response.status_code == 200
    listed = list(response.context["page_obj"].object_list)
    assert listed == list(Order.objects.filter(customer=jane).order_by("-created_at", "-id"))
    assert listed[0] == own
    assert len(listed) == 3  # two demo orders and the new one
    content = response.content.decode()
    for order in Order.objects.exclude(customer=jane):
        assert order.increment_id not in content
        assert order_url(order) not in content


def test_order_view_shows_items_totals_and_storefront_comments(jane_client, jane):
    order = Order.objects.filter(customer=jane).order_by("pk").first()

    response = jane_client.get(order_url(order))

    assert response.status_code == 200
    content = response.content.decode()
    assert f"Order # {order.increment_id}" in content
    for item in order.items.all():
        assert item.sku in content
    assert "Thank you for your order!" in content  # the demo's storefront-visible comment
    assert f"#{order.shipments.get().increment_id}" in content


def test_another_customers_order_is_not_found(jane_client, marie):
    before = commerce_snapshot()

    for order in [*Order.objects.filter(customer=marie), Order.objects.get(customer=None)]:
        assert jane_client.get(order_url(order)).status_code == 404
        assert jane_client.post(reorder_url(order)).status_code == 404
    assert jane_client.get("/en/sales/order/view/999999/").status_code == 404

    assert commerce_snapshot() == before


def test_my_orders_need_a_signed_in_customer(jane):
    order = Order.objects.filter(customer=jane).first()
    before = commerce_snapshot()

    for response in (
        Client().get(HISTORY_URL),
        Client().get(order_url(order)),
        Client().post(reorder_url(order)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/en/customer/account/login/?next=")

    assert commerce_snapshot() == before


def test_reorder_puts_the_items_in_the_cart(jane_client, jane):
    order = order_for(jane, {"SA-BAG-001": 2, "SA-APP-002": 1})

    response = jane_client.post(reorder_url(order), follow=True)

    assert response.redirect_chain == [("/en/checkout/cart/", 302)]
    assert messages_of(response) == ["The order's products are in your shopping cart."]
    assert cart_lines(customer_cart(jane, jane.created_in)) == {"SA-BAG-001": 2, "SA-APP-002": 1}


def test_reorder_reports_what_is_no_longer_available(jane_client, jane):
    order = order_for(jane, {"SA-BAG-001": 1, "SA-APP-002": 1})
    Product.objects.filter(sku="SA-APP-002").update(stock_qty=0)

    response = jane_client.post(reorder_url(order), follow=True)

    assert messages_of(response) == [
        "Organic Cotton T-Shirt: The product is out of stock.",
        "The order's products are in your shopping cart.",
    ]
    assert cart_lines(customer_cart(jane, jane.created_in)) == {"SA-BAG-001": 1}


def test_reorder_is_post_only(jane_client, jane):
    order = Order.objects.filter(customer=jane).first()
    before = commerce_snapshot()

    assert jane_client.get(reorder_url(order)).status_code == 405

    assert commerce_snapshot() == before


# --- address book ------------------------------------------------------------------------------


def test_address_book_lists_the_customers_addresses(jane_client, jane, marie):
    response = jane_client.get(ADDRESSES_URL)

    assert response.status_code == 200
    assert list(response.context["addresses"]) == list(jane.addresses.all())
    assert b"100 Main Street" in response.content
    assert b"Default Shipping Address" in response.content
    assert marie.addresses.get().street.encode() not in response.content


def test_add_edit_and_delete_an_address(jane_client, jane):
    response = jane_client.post(NEW_ADDRESS_URL, SECOND_ADDRESS, follow=True)
    assert response.redirect_chain == [(ADDRESSES_URL, 302)]
    assert messages_of(response) == ["You saved the address."]
    address = jane.addresses.get(street="1 Office Park")
    assert address.country == "US"
    assert not address.is_default_shipping

    response = jane_client.post(
        edit_url(address), {**SECOND_ADDRESS, "city": "Ogdenville"}, follow=True
    )
    assert messages_of(response) == ["You saved the address."]
    address.refresh_from_db()
    assert address.city == "Ogdenville"

    response = jane_client.post(delete_url(address), follow=True)
    assert messages_of(response) == ["You deleted the address."]
    assert not Address.objects.filter(pk=address.pk).exists()
    assert jane.addresses.count() == 1


def test_a_country_code_typed_in_lower_case_is_stored_in_capitals(jane_client, jane):
    jane_client.post(NEW_ADDRESS_URL, {**SECOND_ADDRESS, "country": "fr"})

    assert jane.addresses.get(street="1 Office Park").country == "FR"


def test_a_new_default_address_takes_the_default_from_the_old_one(jane_client, jane):
    old = jane.addresses.get()

    jane_client.post(
        NEW_ADDRESS_URL,
        {**SECOND_ADDRESS, "is_default_shipping": "on", "is_default_billing": "on"},
    )

    new = jane.addresses.get(street="1 Office Park")
    old.refresh_from_db()
    assert (new.is_default_shipping, new.is_default_billing) == (True, True)
    assert (old.is_default_shipping, old.is_default_billing) == (False, False)


def test_the_default_address_cannot_be_deleted(jane_client, jane):
    default = jane.addresses.get()
    before = addresses_snapshot()

    response = jane_client.post(delete_url(default), follow=True)

    assert messages_of(response) == [
        "You cannot delete a default address. Choose another default first."
    ]
    assert addresses_snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"street": ""}, "street", id="no-street"),
        pytest.param({"first_name": ""}, "first_name", id="no-first-name"),
        pytest.param({"city": "x" * 121}, "city", id="long-city"),
        pytest.param({"postcode": "1" * 21}, "postcode", id="long-postcode"),
        pytest.param({"country": "USA"}, "country", id="long-country"),
        pytest.param({"country": "\u00e91"}, "country", id="country-not-letters"),
        pytest.param({"country": "1\u0663"}, "country", id="country-digits"),
        pytest.param({"telephone": "1" * 41}, "telephone", id="long-telephone"),
    ],
)
def test_bad_address_input_is_refused_and_changes_nothing(
    jane_client, second_address, changes, field
):
    before = addresses_snapshot()

    for url in (NEW_ADDRESS_URL, edit_url(second_address)):
        response = jane_client.post(url, {**SECOND_ADDRESS, **changes})
        assert response.status_code == 200, url
        assert field in response.context["form"].errors, url

    assert addresses_snapshot() == before


def test_another_customers_address_is_not_found(jane_client, marie):
    address = marie.addresses.get()
    before = addresses_snapshot()

    assert jane_client.get(edit_url(address)).status_code == 404
    assert jane_client.post(edit_url(address), SECOND_ADDRESS).status_code == 404
    assert jane_client.post(delete_url(address)).status_code == 404

    assert addresses_snapshot() == before


def test_address_changes_send_address_changed(jane_client, jane):
    recorder = SignalRecorder()

    with connected(address_changed, recorder):
        jane_client.post(NEW_ADDRESS_URL, SECOND_ADDRESS)
        address = jane.addresses.get(street="1 Office Park")
        jane_client.post(edit_url(address), {**SECOND_ADDRESS, "city": "Ogdenville"})
        jane_client.post(delete_url(address))

    assert [call["action"] for call in recorder.calls] == ["add", "update", "delete"]
    for call in recorder.calls:
        assert call["customer"] == jane
        assert call["address"].street == "1 Office Park"  # the deleted one has no pk left
        assert call["actor"].customer == jane
        assert call["actor"].staff_user is None


def test_an_address_changed_receiver_that_raises_rolls_the_change_back(jane_client, jane):
    address = jane.addresses.get()
    before = addresses_snapshot()

    failing = SignalRecorder(raises=RuntimeError("audit failed"))
    with connected(address_changed, failing), pytest.raises(RuntimeError, match="audit failed"):
        jane_client.post(edit_url(address), {**SECOND_ADDRESS, "city": "Ogdenville"})

    assert addresses_snapshot() == before
