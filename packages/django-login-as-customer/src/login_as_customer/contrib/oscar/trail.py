"""What an assisted session changes on the customer's account in a stock Oscar shop, as readable
entries of its journal (SPEC §6: everything the administrator does applies to the real account
and is attributed and logged; §8: the customer sees what was done).

Oscar sends no signal for most of its writes (a basket line's quantity, an address, a wish
list), and a shop may fork any of its views: the entries come from the saves and deletions of
Oscar's models while a request of a live assisted session is answered
(``middleware.current_assisted_request``), whatever view made them. Outside one (the customer's
own requests, the dashboard, a management command) each receiver returns at its first line.
A proxy of one of these models is followed as the model (``_follow``), and a value its save
computes in the database (``line.quantity = F("quantity") + 1``) is recorded as saved
(``_AsSaved``).

* the cart — ``cart.add``, ``cart.update``, ``cart.remove`` (the lines of the customer's open
  basket: the basket form, a reorder, save for later), ``cart.voucher_add`` and
  ``cart.voucher_remove``;
* the address book — ``address.add``, ``address.update`` (what changed, not Oscar's count of
  the orders shipped there), ``address.delete``;
* the profile — ``account.update`` (the fields that changed; the e-mail and the password are
  refused before: ``account_guard``);
* reviews and votes written in the customer's name — ``review.add`` (the review is the entry's
  target: Oscar publishes it under the customer's name), ``review.vote``;
* wish lists — ``wishlist.create``, ``wishlist.update``, ``wishlist.delete``, ``wishlist.add``,
  ``wishlist.line_update``, ``wishlist.move``, ``wishlist.remove``, ``wishlist.share``,
  ``wishlist.unshare``;
* stock alerts — ``alert.add``, ``alert.confirm``, ``alert.cancel``, ``alert.close``.

An entry is written in the transaction of the change: a write that is refused or rolls back
leaves none. The order placed is ``receivers.py``'s."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import (
    class_prepared,
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_save,
)
from oscar.core.loading import get_model

from login_as_customer import events
from login_as_customer.host import host
from login_as_customer.middleware import current_assisted_request

Basket = get_model("basket", "Basket")
BasketLine = get_model("basket", "Line")
ProductAlert = get_model("customer", "ProductAlert")
ProductReview = get_model("reviews", "ProductReview")
UserAddress = get_model("address", "UserAddress")
Vote = get_model("reviews", "Vote")
WishList = get_model("wishlists", "WishList")
WishListLine = get_model("wishlists", "Line")
WishListSharedEmail = get_model("wishlists", "WishListSharedEmail")

# What a row was before this request changed it: remembered on the instance ({attname: value})
# when it is loaded in an assisted request, else read at its pre_save (``_Before``).
_BEFORE = "_lac_before"


def _record(request, action, details, target=None) -> None:
    events.domain_action(
        request.assisted_session,
        action=action,
        details=details,
        target=target,
        ip_address=host().client_ip(request),
    )


def _stored(instance, attnames):
    """The row as stored now ({attname: value}), or None for a new row."""
    if instance._state.adding or instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values(*attnames).first()


def _value(instance, attname):
    """``instance``'s ``attname`` as stored, for a receiver that has no ``_AsSaved`` (a creation,
    a deletion): a value the database computes (``F("quantity") - 1``) is read back from the
    row, or, once the row is gone, taken from what this request last saw saved (``_BEFORE``)."""
    value = getattr(instance, attname)
    if not hasattr(value, "resolve_expression"):
        return value
    if isinstance(instance, _AsSaved):  # a value it does not follow: the instance's row
        instance = instance._instance
    seen = instance.__dict__.get(_BEFORE) or {}
    if attname in seen:
        return seen[attname]
    row = _stored(instance, (attname,))
    return row[attname] if row else None


def _changed(instance, before, fields) -> list[str]:
    """The names of ``fields`` whose value this save changed (compared as the database
    stores them: a phone number object and its text are the same). ``instance``: as saved."""
    return [
        field.name
        for field in fields
        if field.get_prep_value(before[field.attname])
        != field.get_prep_value(getattr(instance, field.attname))
    ]


class _AsSaved:
    """An instance as its save stored it, for a post_save receiver to read: a followed value
    the database computed (``F("quantity") + 1``, ``Concat(...)``: the instance keeps the
    expression after the save) is read back from the row; anything else is the instance's."""

    def __init__(self, instance, values):
        self._instance, self._values = instance, values

    def __getattr__(self, name):
        if name in self._values:
            return self._values[name]
        return getattr(self._instance, name)


def _fields(model, *, leave_out=()):
    """The concrete fields of ``model`` a change is told by (not its id, nor ``leave_out``)."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in leave_out
    ]


class _Before:
    """Remembers what an instance of ``model`` was when this request loaded it, for the
    post_save receiver to tell what changed (``before(instance)``). Not the row as read at
    pre_save: an Oscar model's ``save()`` may write it before pre_save is sent
    (``UserAddress`` clears the default flags of the whole address book first). An instance
    loaded before the assisted request began (``request.user``) is read at its pre_save."""

    def __init__(self, model, attnames, *, only=None):
        self.model, self.attnames = model, tuple(attnames)
        self.only = only  # (request, instance) -> bool: which instances are followed

    def _followed(self, instance):
        request = current_assisted_request()
        if request is None or instance.pk is None:
            return False
        return self.only is None or self.only(request, instance)

    def loaded(self, sender, instance, **kwargs):
        if self._followed(instance):
            values = instance.__dict__
            if all(name in values for name in self.attnames):  # none deferred
                values[_BEFORE] = {name: values[name] for name in self.attnames}

    def saving(self, sender, instance, **kwargs):
        if _BEFORE not in instance.__dict__ and self._followed(instance):
            instance.__dict__[_BEFORE] = _stored(instance, self.attnames)

    def before(self, instance, *, created):
        """(before, saved): what the instance was before this save (None: a new row), and
        the instance as saved (``_AsSaved``): from now on, what it is."""
        before = None if created else instance.__dict__.get(_BEFORE)
        now = {name: getattr(instance, name) for name in self.attnames}
        computed = [name for name, value in now.items() if hasattr(value, "resolve_expression")]
        if computed:
            now.update(_stored(instance, computed))
        instance.__dict__[_BEFORE] = now
        return before, _AsSaved(instance, now)

    def connect(self, uid):
        _follow(self.model, post_init, self.loaded, uid)
        _follow(self.model, pre_save, self.saving, uid)


def _sku(product, stockrecord=None, fallback="") -> str:
    """How an entry names a product: its UPC, else the partner's SKU, else ``fallback``."""
    if product is not None and product.upc:
        return product.upc
    if stockrecord is not None:
        return stockrecord.partner_sku
    return fallback or (str(product.pk) if product is not None else "")


# -- the cart ------------------------------------------------------------------------------------


def _cart_state(request, basket_id):
    """``"cart"`` when ``basket_id`` is the customer's open basket, ``"saved"`` for their
    saved-for-later basket, else None (any other basket is not the cart)."""
    if basket_id is None:
        return None
    row = Basket._base_manager.filter(pk=basket_id).values("owner_id", "status").first()
    if row is None or row["owner_id"] != request.assisted_session.customer_id:
        return None
    return {Basket.OPEN: "cart", Basket.SAVED: "saved"}.get(row["status"])


_basket_line = _Before(BasketLine, ("basket_id", "quantity"))


def _basket_line_saved(sender, instance, created, **kwargs):
    request = current_assisted_request()
    if request is None:
        return
    before, saved = _basket_line.before(instance, created=created)
    was_in_cart = before is not None and _cart_state(request, before["basket_id"]) == "cart"
    previous = before["quantity"] if was_in_cart else 0
    state = _cart_state(request, saved.basket_id)
    quantity = saved.quantity if state == "cart" else 0
    if quantity == previous:
        return
    details = {
        "sku": _sku(saved.product, saved.stockrecord),
        "qty": quantity,
        "previous_qty": previous,
        "basket_id": saved.basket_id,
    }
    if not previous:
        action = "cart.add"
    elif quantity:
        action = "cart.update"
    else:
        action = "cart.remove"
        if state == "saved":
            details["saved_for_later"] = True
    _record(request, action, details)


def _basket_line_deleted(sender, instance, **kwargs):
    """On pre_delete: the quantity the line had is the stored one (Oscar's basket form puts
    the posted quantity on the line it deletes)."""
    request = current_assisted_request()
    if request is None:
        return
    stored = _stored(instance, ("basket_id", "quantity"))
    if stored is None or _cart_state(request, stored["basket_id"]) != "cart":
        return
    details = {
        "sku": _sku(instance.product, instance.stockrecord),
        "qty": 0,
        "previous_qty": stored["quantity"],
        "basket_id": stored["basket_id"],
    }
    _record(request, "cart.remove", details)


def _vouchers_changed(sender, instance, action, pk_set, **kwargs):
    """A voucher added to or taken off the customer's open basket."""
    request = current_assisted_request()
    if request is None or action not in ("post_add", "post_remove") or not pk_set:
        return
    if not isinstance(instance, Basket) or _cart_state(request, instance.pk) != "cart":
        return
    name = "cart.voucher_add" if action == "post_add" else "cart.voucher_remove"
    vouchers = instance.vouchers.model._base_manager.filter(pk__in=pk_set).order_by("pk")
    for voucher in vouchers:
        _record(request, name, {"code": voucher.code, "basket_id": instance.pk}, voucher)


# -- the address book ----------------------------------------------------------------------------

# Not what Oscar keeps up itself: the count of orders shipped or billed to the address, its
# hash and its search text.
_ADDRESS_FIELDS = _fields(
    UserAddress,
    leave_out=(
        "user",
        "num_orders_as_shipping_address",
        "num_orders_as_billing_address",
        "hash",
        "search_text",
        "date_created",
    ),
)
_address = _Before(UserAddress, [field.attname for field in _ADDRESS_FIELDS])


def _address_details(address) -> dict:
    return {"address_id": address.pk, "city": address.line4, "country": address.country_id}


def _address_saved(sender, instance, created, **kwargs):
    request = current_assisted_request()
    if request is None:
        return
    before, saved = _address.before(instance, created=created)
    if before is None:
        _record(request, "address.add", _address_details(saved), instance)
        return
    changed = _changed(saved, before, _ADDRESS_FIELDS)
    if changed:  # not when only Oscar's counts changed (an order shipped there)
        details = {**_address_details(saved), "changed": changed}
        _record(request, "address.update", details, instance)


def _address_deleted(sender, instance, **kwargs):
    request = current_assisted_request()
    if request is not None:
        _record(request, "address.delete", _address_details(instance))


# -- the profile ---------------------------------------------------------------------------------

_ACCOUNT_FIELDS = _fields(get_user_model(), leave_out=("last_login",))
_account = _Before(
    get_user_model(),
    [field.attname for field in _ACCOUNT_FIELDS],
    only=lambda request, user: user.pk == request.assisted_session.customer_id,
)


def _account_saved(sender, instance, created, **kwargs):
    request = current_assisted_request()
    if request is None or instance.pk != request.assisted_session.customer_id:
        return
    before, saved = _account.before(instance, created=created)
    changed = _changed(saved, before, _ACCOUNT_FIELDS) if before is not None else []
    if changed:
        _record(request, "account.update", {"changed": changed})


# -- reviews and votes ---------------------------------------------------------------------------


def _review_saved(sender, instance, created, **kwargs):
    """A review Oscar publishes under the customer's name: the entry names the administrator
    who wrote it and points at the review."""
    request = current_assisted_request()
    if request is None or not created:
        return
    details = {
        "review_id": instance.pk,
        "sku": _sku(instance.product),
        "title": _value(instance, "title"),
        "score": _value(instance, "score"),
    }
    _record(request, "review.add", details, instance)


def _vote_saved(sender, instance, created, **kwargs):
    request = current_assisted_request()
    if request is not None and created:
        details = {"review_id": instance.review_id, "delta": _value(instance, "delta")}
        _record(request, "review.vote", details)


# -- wish lists ----------------------------------------------------------------------------------

_WISHLIST_FIELDS = _fields(WishList, leave_out=("owner", "key", "date_created"))
_wishlist = _Before(WishList, [field.attname for field in _WISHLIST_FIELDS])


def _wishlist_saved(sender, instance, created, **kwargs):
    request = current_assisted_request()
    if request is None:
        return
    before, saved = _wishlist.before(instance, created=created)
    details = {"wishlist_id": saved.pk, "name": saved.name}
    if before is None:
        _record(request, "wishlist.create", {**details, "visibility": saved.visibility})
        return
    changed = _changed(saved, before, _WISHLIST_FIELDS)
    if changed:
        _record(request, "wishlist.update", {**details, "changed": changed})


def _wishlist_deleted(sender, instance, **kwargs):
    request = current_assisted_request()
    if request is not None:
        details = {"wishlist_id": instance.pk, "name": _value(instance, "name")}
        _record(request, "wishlist.delete", details)


# The wish lists this request is deleting: their lines and shared addresses go with them, one
# "wishlist.delete" for all (Django sends every pre_delete of a deletion before its post_deletes).
_DELETING_WISHLISTS = "_lac_deleting_wishlists"


def _wishlist_deleting(sender, instance, **kwargs):
    request = current_assisted_request()
    if request is not None:
        request.__dict__.setdefault(_DELETING_WISHLISTS, set()).add(instance.pk)


def _goes_with_its_wishlist(request, instance) -> bool:
    return instance.wishlist_id in request.__dict__.get(_DELETING_WISHLISTS, ())


_wishlist_line = _Before(WishListLine, ("wishlist_id", "quantity"))


def _wishlist_line_details(line) -> dict:
    return {
        "wishlist_id": line.wishlist_id,
        "sku": _sku(line.product, fallback=_value(line, "title")),
        "qty": _value(line, "quantity"),
    }


def _wishlist_line_saved(sender, instance, created, **kwargs):
    request = current_assisted_request()
    if request is None:
        return
    before, saved = _wishlist_line.before(instance, created=created)
    details = _wishlist_line_details(saved)
    if before is None:
        _record(request, "wishlist.add", details)
    elif before["wishlist_id"] != saved.wishlist_id:
        _record(request, "wishlist.move", {**details, "from_wishlist_id": before["wishlist_id"]})
    elif before["quantity"] != saved.quantity:
        details["previous_qty"] = before["quantity"]
        _record(request, "wishlist.line_update", details)


def _wishlist_line_deleted(sender, instance, **kwargs):
    request = current_assisted_request()
    if request is not None and not _goes_with_its_wishlist(request, instance):
        _record(request, "wishlist.remove", _wishlist_line_details(instance))


_shared_email = _Before(WishListSharedEmail, ("email",))


def _shared_email_saved(sender, instance, created, **kwargs):
    """Who may see the wish list: an address it is shared with, added or changed."""
    request = current_assisted_request()
    if request is None:
        return
    before, saved = _shared_email.before(instance, created=created)
    if before is not None and before["email"] == saved.email:
        return
    details = {"wishlist_id": saved.wishlist_id, "email": saved.email}
    if before is not None:
        details["previous_email"] = before["email"]
    _record(request, "wishlist.share", details)


def _shared_email_deleted(sender, instance, **kwargs):
    request = current_assisted_request()
    if request is not None and not _goes_with_its_wishlist(request, instance):
        details = {"wishlist_id": instance.wishlist_id, "email": _value(instance, "email")}
        _record(request, "wishlist.unshare", details)


# -- stock alerts --------------------------------------------------------------------------------

_ALERT_ACTIONS = {
    ProductAlert.ACTIVE: "alert.confirm",
    ProductAlert.CANCELLED: "alert.cancel",
    ProductAlert.CLOSED: "alert.close",
}
_alert = _Before(ProductAlert, ("status",))


def _alert_saved(sender, instance, created, **kwargs):
    """A stock alert of the customer's, or one cancelled or confirmed by its key (which may
    be anyone's: Oscar's links in its mail to anonymous alerts)."""
    request = current_assisted_request()
    if request is None:
        return
    before, saved = _alert.before(instance, created=created)
    details = {"alert_id": instance.pk, "sku": _sku(instance.product), "status": saved.status}
    if before is None:
        _record(request, "alert.add", details, instance)
    elif before["status"] != saved.status and saved.status in _ALERT_ACTIONS:
        _record(request, _ALERT_ACTIONS[saved.status], details, instance)


# -- connecting them -----------------------------------------------------------------------------

# What connect() gave each followed model: [(signal, receiver, dispatch_uid)] by model.
_RECEIVERS = {}


def _follow(model, signal, receiver, uid) -> None:
    """``receiver`` on ``signal`` for ``model`` and for its proxies (``_follow_proxy``): Django
    sends the signals of a proxy's instances with the proxy as their sender."""
    _RECEIVERS.setdefault(model, []).append((signal, receiver, uid))
    signal.connect(receiver, sender=model, dispatch_uid=uid)


def _follow_proxy(sender, **kwargs) -> None:
    """A proxy of a followed model (or of a proxy of one) is followed as the model: one of an
    installed app at connect(), one defined later at its ``class_prepared``."""
    if sender._meta.proxy:
        for signal, receiver, uid in _RECEIVERS.get(sender._meta.concrete_model, ()):
            signal.connect(receiver, sender=sender, dispatch_uid=uid)


def connect() -> None:
    """Called by the contrib app's ready(); the user model's receivers after ``account_guard``'s
    (a refused change of the e-mail or the password stops the save first)."""
    followed = [
        (_basket_line, _basket_line_saved, None),
        (_address, _address_saved, _address_deleted),
        (_account, _account_saved, None),
        (_wishlist, _wishlist_saved, _wishlist_deleted),
        (_wishlist_line, _wishlist_line_saved, _wishlist_line_deleted),
        (_shared_email, _shared_email_saved, _shared_email_deleted),
        (_alert, _alert_saved, None),
    ]
    for before, saved, deleted in followed:
        uid = f"login_as_customer_oscar.trail.{before.model._meta.label_lower}"
        before.connect(uid)
        _follow(before.model, post_save, saved, uid)
        if deleted is not None:
            _follow(before.model, post_delete, deleted, uid)
    _follow(WishList, pre_delete, _wishlist_deleting, "login_as_customer_oscar.trail.wishlist")
    _follow(
        BasketLine, pre_delete, _basket_line_deleted, "login_as_customer_oscar.trail.basket.line"
    )
    _follow(ProductReview, post_save, _review_saved, "login_as_customer_oscar.trail.review")
    _follow(Vote, post_save, _vote_saved, "login_as_customer_oscar.trail.vote")
    m2m_changed.connect(
        _vouchers_changed,
        sender=Basket.vouchers.through,
        dispatch_uid="login_as_customer_oscar.trail.basket_vouchers",
    )
    for model in apps.get_models():
        _follow_proxy(model)
    class_prepared.connect(_follow_proxy, dispatch_uid="login_as_customer_oscar.trail.proxies")
