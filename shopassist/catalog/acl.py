from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, register_branch

CATALOG = "catalog"
PRODUCTS = "catalog.products"
CATEGORIES = "catalog.categories"

register_branch(
    Resource(
        CATALOG,
        _("Catalog"),
        sort_order=30,
        children=(
            Resource(PRODUCTS, _("Products")),
            Resource(CATEGORIES, _("Categories")),
        ),
    )
)
