from django.apps import AppConfig


class OscarShopConfig(AppConfig):
    name = "oscar_shop"
    default_auto_field = "django.db.models.AutoField"
