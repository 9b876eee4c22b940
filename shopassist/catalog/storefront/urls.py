from django.urls import path

from shopassist.catalog.storefront import views

app_name = "catalog"

urlpatterns = [
    path("category/<slug:code>/", views.category, name="category"),
    path("product/<str:sku>/", views.product, name="product"),
    path("catalogsearch/", views.search, name="search"),
]
