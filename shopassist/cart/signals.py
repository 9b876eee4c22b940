"""Extension points of the cart.

``cart_changed`` is sent inside the transaction of every cart change, with
``cart``, ``actor``, ``action`` ("add" | "update" | "remove" | "merge"), ``sku``, ``qty`` and
``previous_qty``. A receiver that raises rolls the change back.
"""

from django.dispatch import Signal

cart_changed = Signal()
