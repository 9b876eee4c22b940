"""Extension points of sales. All are sent inside the transaction of the change; a receiver
that raises rolls it back.

- ``order_placed(order, actor)``: an order was just created from a cart (checkout or API).
  Receivers may add comments with ``add_order_comment`` or set ``order.extension_attributes``.
- ``order_document_created(order, document, kind, actor)``: kind is "invoice", "shipment" or
  "creditmemo".
- ``order_comment_added(order, comment, actor)``.
"""

from django.dispatch import Signal

order_placed = Signal()
order_document_created = Signal()
order_comment_added = Signal()
