"""Any change to stores publishes a new configuration version (store views are memoised)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shopassist.core.config import config
from shopassist.stores.models import Store, StoreView, Website


@receiver([post_save, post_delete], sender=Website)
@receiver([post_save, post_delete], sender=Store)
@receiver([post_save, post_delete], sender=StoreView)
def publish_store_change(**kwargs):
    transaction.on_commit(config.invalidate)
