"""Storefront catalog: home, category listing (pagination, sorting), product page per store
view, disabled products, search; the demo catalog and orders load idempotently."""

from decimal import Decimal
from html import escape

import pytest
from django.test import Client

from shopassist.catalog.models import Category, Product, ProductText
from shopassist.demo.catalog_data import CATEGORIES, PRODUCTS
from shopassist.demo.loader import load_demo
from shopassist.sales.models import CreditMemo, Invoice, Order, OrderComment, OrderItem, Shipment

TEXTS = {product["sku"]: product["texts"] for product in PRODUCTS}
BAGS = [product["sku"] for product in PRODUCTS if product["category"] == "bags"]
STORE_VIEWS = ["en", "fr", "ko", "zh-hant"]


def listed(response) -> list[str]:
    return [product.sku for product in response.context["page_obj"].object_list]


@pytest.fixture
def more_bags(demo):
    """Five more bags, so the category has 15 products: more than one page of 12."""
    bags = Category.objects.get(code="bags")
    for number in range(11, 16):
        product = Product.objects.create(
            sku=f"SA-BAG-{number:03d}", price=Decimal(number), stock_qty=5
        )
        product.categories.add(bags)
        ProductText.objects.create(product=product, name=f"Extra Bag {number}")


def test_home_shows_categories_and_products(demo):
    response = Client().get("/en/")

    assert response.status_code == 200
    content = response.content.decode()
    for code, category in CATEGORIES.items():
        assert escape(category["texts"]["en"][0]) in content
        assert f'href="/en/category/{code}/"' in content
    assert [p.sku for p in response.context["featured"]] == [p["sku"] for p in PRODUCTS[:8]]
    assert 'data-testid="minicart-count">0<' in content


def test_home_in_french_shows_french_category_names(demo):
    content = Client().get("/fr/").content.decode()

    assert escape(CATEGORIES["bags"]["texts"]["fr"][0]) in content
    assert 'href="/fr/category/bags/"' in content


def test_category_of_ten_products_is_a_single_page(demo):
    response = Client().get("/en/category/bags/", {"page": 2})

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(BAGS)
    assert response.context["page_obj"].paginator.num_pages == 1
    assert b"sf-pagination" not in response.content
    assert b"10 items" in response.content


def test_category_pagination_with_more_than_a_page(more_bags):
    first = Client().get("/en/category/bags/")
    second = Client().get("/en/category/bags/", {"page": 2})
    beyond = Client().get("/en/category/bags/", {"page": 99})
    garbage = Client().get("/en/category/bags/", {"page": "x"})

    assert len(listed(first)) == 12
    assert len(listed(second)) == 3
    assert set(listed(first)).isdisjoint(listed(second))
    assert len(set(listed(first) + listed(second))) == 15
    assert listed(beyond) == listed(second)
    assert listed(garbage) == listed(first)
    assert b"Page 1 of 2" in first.content
    assert b'href="?sort=position&amp;page=2" rel="next"' in first.content
    assert b"Page 2 of 2" in second.content
    assert b"15 items" in first.content


def test_category_sorting_by_price_and_name(more_bags):
    by_price = Client().get("/en/category/bags/", {"sort": "price"}).context["page_obj"]
    by_name = Client().get("/en/category/bags/", {"sort": "name"}).context["page_obj"]
    by_name_fr = Client().get("/fr/category/bags/", {"sort": "name"}).context["page_obj"]

    prices = [p.price for p in by_price.object_list]
    assert prices == sorted(prices)
    assert prices[0] == Decimal("11")
    all_names = [TEXTS[sku]["en"][0] for sku in BAGS] + [f"Extra Bag {n}" for n in range(11, 16)]
    assert [p.name for p in by_name.object_list] == sorted(all_names, key=str.casefold)[:12]
    names_fr = [p.name for p in by_name_fr.object_list]
    assert names_fr == sorted(names_fr, key=str.casefold)
    assert "Sac week-end en toile" in names_fr


def test_category_sorting_ignores_unknown_values(demo):
    response = Client().get("/en/category/bags/", {"sort": "-id; drop table"})

    assert response.status_code == 200
    assert response.context["sort"] == "position"
    assert listed(response) == BAGS  # position: catalog order


def test_unknown_or_disabled_category_is_not_found(demo):
    Category.objects.filter(code="home").update(is_active=False)

    assert Client().get("/en/category/no-such-category/").status_code == 404
    assert Client().get("/en/category/home/").status_code == 404
    assert b'href="/en/category/home/"' not in Client().get("/en/").content


@pytest.mark.parametrize("store_code", STORE_VIEWS)
def test_product_page_shows_the_store_views_name(demo, store_code):
    name, description = TEXTS["SA-BAG-001"][store_code]

    response = Client().get(f"/{store_code}/product/SA-BAG-001/")

    assert response.status_code == 200
    assert response.context["product"].name == name
    assert f"<h1>{escape(name)}</h1>" in response.content.decode()
    assert response.context["product"].description == description
    if store_code != "en":
        assert TEXTS["SA-BAG-001"]["en"][0] not in response.content.decode()


def test_product_page_shows_stock_and_the_add_to_cart_form(demo):
    in_stock = Client().get("/en/product/SA-BAG-001/").content.decode()
    sold_out = Client().get("/en/product/SA-HOM-010/").content.decode()

    assert "In stock" in in_stock
    assert 'action="/en/checkout/cart/add/"' in in_stock
    assert "Out of stock" in sold_out
    assert 'action="/en/checkout/cart/add/"' not in sold_out


def test_disabled_product_is_hidden_everywhere(demo):
    Product.objects.filter(sku="SA-BAG-001").update(is_active=False)

    assert Client().get("/en/product/SA-BAG-001/").status_code == 404
    assert Client().get("/fr/product/SA-BAG-001/").status_code == 404
    assert "SA-BAG-001" not in listed(Client().get("/en/category/bags/"))
    assert listed(Client().get("/en/catalogsearch/", {"q": "SA-BAG-001"})) == []
    assert listed(Client().get("/en/catalogsearch/", {"q": "Weekender"})) == []


def test_unknown_product_is_not_found(demo):
    assert Client().get("/en/product/NO-SUCH-SKU/").status_code == 404


@pytest.mark.parametrize(
    ("store_code", "query", "expected"),
    [
        ("en", "Weekender", ["SA-BAG-001"]),
        ("en", "weekender bag", ["SA-BAG-001"]),
        ("en", "SA-BAG-001", ["SA-BAG-001"]),
        ("en", "sa-bag-001", ["SA-BAG-001"]),
        ("fr", "week-end en toile", ["SA-BAG-001"]),
        ("en", "no such thing anywhere", []),
        ("en", "", []),
        ("en", "   ", []),
    ],
)
def test_search_by_name_and_by_sku(demo, store_code, query, expected):
    response = Client().get(f"/{store_code}/catalogsearch/", {"q": query})

    assert response.status_code == 200
    assert listed(response) == expected
    assert response.context["count"] == len(expected)


def test_search_escapes_the_query(demo):
    response = Client().get("/en/catalogsearch/", {"q": "<script>alert(1)</script>"})

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_load_demo_twice_creates_nothing_new(demo):
    models = [Product, ProductText, Category, Order, OrderItem]
    models += [Invoice, Shipment, CreditMemo, OrderComment]
    counts = {model: model.objects.count() for model in models}
    stock = dict(Product.objects.values_list("sku", "stock_qty"))

    load_demo()

    assert {model: model.objects.count() for model in models} == counts
    assert dict(Product.objects.values_list("sku", "stock_qty")) == stock
    assert counts[Product] == 40
    assert counts[Order] == 6
    assert Order.objects.filter(customer__isnull=True).count() == 1
    assert counts[Invoice] == 6
