"""Readable names of the journal's actions. Entries keep their code (the log's exports and
filters, a SIEM read it); pages show the name, and the admin's page of a session's actions the
code beside it."""

from django.utils.translation import gettext_lazy as _

# What was done on the customer's account: the customer's list of assisted sessions shows these
# (the rest of a session's entries are the feature's own bookkeeping).
DOMAIN_ACTIONS = {
    "cart.add": _("Added to the cart"),
    "cart.update": _("Changed a cart quantity"),
    "cart.remove": _("Removed from the cart"),
    "cart.merge": _("Cart merged"),
    "address.add": _("Added an address"),
    "address.update": _("Changed an address"),
    "address.delete": _("Deleted an address"),
    "order.placed": _("Placed an order"),
    "account.update": _("Changed account information"),
    # What a shop's host records besides (django-oscar: ``contrib/oscar/trail.py``).
    "cart.voucher_add": _("Added a voucher"),
    "cart.voucher_remove": _("Removed a voucher"),
    "review.add": _("Wrote a product review"),
    "review.vote": _("Voted on a product review"),
    "wishlist.create": _("Created a wish list"),
    "wishlist.update": _("Changed a wish list"),
    "wishlist.delete": _("Deleted a wish list"),
    "wishlist.add": _("Added to a wish list"),
    "wishlist.line_update": _("Changed a wish list quantity"),
    "wishlist.move": _("Moved to another wish list"),
    "wishlist.remove": _("Removed from a wish list"),
    "wishlist.share": _("Shared a wish list"),
    "wishlist.unshare": _("Stopped sharing a wish list"),
    "alert.add": _("Asked for a stock alert"),
    "alert.confirm": _("Confirmed a stock alert"),
    "alert.cancel": _("Cancelled a stock alert"),
    "alert.close": _("Closed a stock alert"),
    "account.blocked": _("Refused: credentials change"),
    "consent.blocked": _("Refused: permission change"),
    "account_deletion.blocked": _("Refused: account deletion"),
    "private_page.blocked": _("Refused: a private page"),
    "sign_in.blocked": _("Refused: signing in"),
    "view_only_refused": _("Refused: a change in a view-only session"),
    "assistance_code.use": _("Started with your assistance code"),
}

# The session's own entries, shown to administrators.
SESSION_ACTIONS = {
    "start": _("Session started"),
    "redeem": _("Login link used"),
    "request": _("Request"),
    "end": _("Session ended"),
    "terminate": _("Terminated"),
    "start_denied": _("Start refused"),
    "redeem_invalid": _("Login link refused: not valid"),
    "redeem_expired": _("Login link refused: expired"),
    "redeem_replayed": _("Login link refused: already used"),
    "redeem_wrong_browser": _("Login link refused: another browser"),
    "redeem_cross_site": _("Login link refused: another site"),
    "redeem_wrong_store_view": _("Login link refused: another store view"),
    "redeem_denied": _("Login link refused"),
    "consent.grant": _("Permission given"),
    "consent.revoke": _("Permission withdrawn"),
    "assistance_code.issue": _("Assistance code issued"),
    "assistance_code.blocked": _("Refused: getting an assistance code"),
}


def label_of(action: str) -> str:
    """The readable name of ``action``, or the code itself for one without a name (a host's
    own action, say)."""
    return str(DOMAIN_ACTIONS.get(action) or SESSION_ACTIONS.get(action) or action)
