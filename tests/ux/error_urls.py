"""The site's URLs plus pages that fail, to see the 500 pages (tests/ux/test_error_pages.py)."""

from django.db import connection
from django.urls import path

from shopassist.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def fails(request):
    raise RuntimeError("a bug in a storefront page")


def breaks_the_database(request):
    """A failed statement inside the request's transaction: on PostgreSQL every later query of
    the transaction is refused, as when the database is in trouble."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM table_that_does_not_exist")


urlpatterns = [
    path("admin/fails/", fails),  # before the store views' slug: "admin" is none
    path("admin/breaks-the-database/", breaks_the_database),
    path("<slug:store_code>/fails/", fails),
    path("<slug:store_code>/breaks-the-database/", breaks_the_database),
    path("api/v1/fails/", fails),
    *urlpatterns,
]
