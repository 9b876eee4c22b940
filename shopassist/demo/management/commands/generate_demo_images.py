from django.core.management.base import BaseCommand

from shopassist.demo.catalog_data import PRODUCTS
from shopassist.demo.product_images import IMAGES_DIR, write_images


class Command(BaseCommand):
    help = (
        "Draw the pictures of the demo products into shopassist/demo/images/ (SVG, generated "
        "here: no licence). Run after changing shopassist/demo/product_images.py; commit them."
    )

    def handle(self, *args, **options):
        written = write_images(PRODUCTS)
        total = sum(path.stat().st_size for path in written)
        self.stdout.write(f"{len(written)} images, {total:,} bytes, in {IMAGES_DIR}")
