"""Issue 13 point 9: the 40 demo products have pictures — small SVGs drawn by
shopassist/demo/product_images.py (no licence: generated here), committed, attached by the demo
loader, served at MEDIA_URL as pictures only, and shown on the home, category and product pages
with the product's name as alternative text."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from shopassist.catalog.models import Product
from shopassist.demo import product_images
from shopassist.demo.catalog_data import PRODUCTS
from shopassist.demo.commerce import DEMO_IMAGES_PREFIX
from shopassist.demo.loader import load_demo
from shopassist.storefront.media_views import CONTENT_SECURITY_POLICY

SVG = "{http://www.w3.org/2000/svg}"


def test_the_committed_pictures_are_what_the_script_draws_small_and_inert():
    shipped = sorted(product_images.IMAGES_DIR.glob("*"))

    assert [path.name for path in shipped] == sorted(f"{p['sku']}.svg" for p in PRODUCTS)
    assert len(shipped) == 40
    for product in PRODUCTS:
        path = product_images.image_path(product["sku"])
        drawn = product_images.svg_for(product["sku"], product["category"])
        assert path.read_text(encoding="utf-8") == drawn, (
            f"{path.name} differs from the drawing: run manage.py generate_demo_images"
        )
        root = ET.fromstring(drawn)  # noqa: S314 - our own drawing, not untrusted input
        assert root.tag == f"{SVG}svg"
        assert (root.get("width"), root.get("height")) == ("400", "300")
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert tags <= {"svg", "g", "rect", "circle", "ellipse", "path"}, tags
        assert not re.search(r"href|script|url\(|on\w+=", drawn), path.name
    total = sum(path.stat().st_size for path in shipped)
    assert total < 100_000, f"{total} bytes"  # the issue allows 1 MB
    assert len({path.read_bytes() for path in shipped}) == 40  # each product its own


def test_the_demo_loader_attaches_each_products_picture_once(demo):
    stored = sorted(default_storage.listdir(DEMO_IMAGES_PREFIX)[1])

    for product in Product.objects.all():
        assert product.image.name == f"{DEMO_IMAGES_PREFIX}{product.sku}.svg", product.sku
        with default_storage.open(product.image.name, "rb") as file:
            assert file.read() == product_images.image_path(product.sku).read_bytes()

    load_demo()

    assert sorted(default_storage.listdir(DEMO_IMAGES_PREFIX)[1]) == stored  # no copies


def test_a_picture_is_served_as_a_picture_only(demo):
    product = Product.objects.get(sku="SA-BAG-001")

    response = Client().get(product.image.url)

    assert product.image.url == f"/media/{DEMO_IMAGES_PREFIX}SA-BAG-001.svg"
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "sandbox" in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    served = b"".join(response.streaming_content)
    assert served == product_images.image_path("SA-BAG-001").read_bytes()
    assert "Set-Cookie" not in response.headers or not response.cookies
    for path in ("/media/../settings.py", "/media/%2e%2e/manage.py", "/media/catalog/nothing.svg"):
        refused = Client().get(path)
        assert refused.status_code in (400, 404), path  # outside MEDIA_ROOT, or no such file
        assert b"SECRET_KEY" not in refused.content and b"import" not in refused.content
    assert Client().post(product.image.url).status_code == 405


def images_in(html) -> dict[str, str]:
    """src → alt of the product pictures of a page."""
    return dict(re.findall(r'<img src="(/media/[^"]+)" alt="([^"]*)"', html))


@pytest.mark.parametrize("store_code", ["en", "ko"])
def test_the_catalog_pages_show_the_pictures_named_by_the_product(demo, store_code):
    from shopassist.catalog.selectors import product_for_storefront
    from shopassist.stores.models import StoreView

    store_view = StoreView.objects.get(code=store_code)
    client = Client()
    names = {
        product.image.url: product_for_storefront(product_id=product.pk, store_view=store_view).name
        for product in Product.objects.all()
    }

    home = images_in(client.get(f"/{store_code}/").content.decode())
    category = images_in(client.get(f"/{store_code}/category/bags/").content.decode())
    page = images_in(client.get(f"/{store_code}/product/SA-HOM-007/").content.decode())

    assert len(home) == 8 and len(category) == 10 and len(page) == 1
    for src, alt in {**home, **category, **page}.items():
        assert alt == names[src] and alt, src
    candle = Product.objects.get(sku="SA-HOM-007").image.url
    assert page == {candle: names[candle]}
