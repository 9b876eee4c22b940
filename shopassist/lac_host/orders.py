"""Orders placed in an assisted session record the administrator and get two comments."""

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import override

from login_as_customer.actor import ASSISTED_SESSION_ID
from shopassist.sales.services import add_order_comment
from shopassist.sales.signals import order_placed


@receiver(order_placed)
def comment_assisted_order(sender, order, actor, **kwargs):
    session_id = getattr(actor, "context", {}).get(ASSISTED_SESSION_ID)
    if session_id is None:
        return
    order.extension_attributes[ASSISTED_SESSION_ID] = session_id
    order.save(update_fields=["extension_attributes"])
    admin = actor.staff_user
    admin_name = admin.get_full_name() or admin.get_username()
    with override(order.store_view.locale):
        visible = _("Order placed by store administrator")
    add_order_comment(order=order, comment=visible, visible_on_front=True, actor=actor)
    add_order_comment(
        order=order,
        comment=_("Order placed by %(admin)s using Login as Customer") % {"admin": admin_name},
        visible_on_front=False,
        actor=actor,
    )
