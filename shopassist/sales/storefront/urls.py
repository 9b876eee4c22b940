from django.urls import path

from shopassist.sales.storefront import views

app_name = "sales"

urlpatterns = [
    path("sales/order/history/", views.order_history, name="order_history"),
    path("sales/order/view/<int:order_id>/", views.order_view, name="order_view"),
    path("sales/order/reorder/<int:order_id>/", views.reorder, name="reorder"),
]
