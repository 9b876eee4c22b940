"""Extension points of the core, for apps the core does not know."""

from django.dispatch import Signal

# Sent when a storefront request's actor is built; a receiver may return a replacement Actor
# (e.g. one that names the administrator acting on the customer's behalf).
actor_for_request = Signal()

# Sent inside the transaction that saved configuration values (scope, scope_id, paths, actor).
config_saved = Signal()

# Sent inside the transaction in which an administrator flushed the storefront page cache
# (actor).
page_cache_flushed = Signal()

# Sent inside the transaction of an object created, changed or deleted in the admin panel
# (request, obj, action: "create" | "change" | "delete", message); the action log records it.
admin_object_changed = Signal()
