"""Extension points of customer accounts."""

from django.dispatch import Signal

# A customer logged in to the storefront themselves (request, customer, previous_session:
# the items of the session before its key was cycled, e.g. to merge a guest cart).
customer_logged_in = Signal()

# The storefront session is about to be flushed by Sign Out (request).
customer_logged_out = Signal()

# An account change was refused because of who asked (customer, actor, fields, code); sent
# after the refusal, nothing changed.
account_change_refused = Signal()

# Sent inside the transaction of an account change (customer, actor, changed: field names).
customer_account_changed = Signal()

# Sent inside the transaction of an address change (customer, address, actor,
# action: "add" | "update" | "delete").
address_changed = Signal()
