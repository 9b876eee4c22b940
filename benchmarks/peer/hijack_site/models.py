"""The customer's data the account page reads: the same rows as ShopAssist's My Account page
(the cart's item count, the category menu and its names in the page's language)."""

from django.conf import settings
from django.db import models


class Category(models.Model):
    code = models.SlugField(unique=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    def __str__(self):
        return self.code


class CategoryName(models.Model):
    category = models.ForeignKey(Category, related_name="names", on_delete=models.CASCADE)
    language = models.CharField(max_length=10)
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Cart(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    is_active = models.BooleanField(default=True)

    def __str__(self):
        return f"cart {self.pk}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, related_name="items", on_delete=models.CASCADE)
    sku = models.CharField(max_length=64)
    qty = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"{self.qty} × {self.sku}"
