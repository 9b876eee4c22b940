"""Login as Customer in a django-oscar shop, without forking any of Oscar's apps.

Put ``"login_as_customer.contrib.oscar"`` in ``INSTALLED_APPS`` before Oscar's apps and set
``LOGIN_AS_CUSTOMER["HOST"] = "login_as_customer.contrib.oscar.host.OscarHost"``. It brings:

* the button and its confirmation dialog on the dashboard's customer and order pages, the
  "Allow remote shopping assistance" form on the profile edit page, and "Order placed by store
  administrator" on the customer's page of such an order (template overrides that extend
  Oscar's own templates of the same name);
* ``OscarHost``: Oscar's pages around the feature's storefront pages, the redemption landing on
  the customer's account, and the browser's anonymous basket cookie dropped on every assisted
  request (never merged into the customer's by Oscar's ``BasketMiddleware``);
* what an assisted session may not do on Oscar's pages (SPEC §6): change the password (its
  form, its reset pages) or the e-mail address, delete the account (refused with their
  message, and, whatever view saves the account, by ``account_guard``), read the mail Oscar
  kept for the customer (password-reset links); and Oscar's GETs that change data (a default
  address, a stock alert) count as writes: refused in a view-only session, recorded in a full
  one;
* what it does on the customer's account gets a readable entry in the session's journal
  (``trail.py``: the cart, vouchers, the address book, the profile, reviews and votes written
  in the customer's name, wish lists, stock alerts), which the customer's Assisted sessions
  page shows where the feature has a name for it;
* an order placed in an assisted session gets two Oscar order notes — the dashboard's, by the
  administrator, naming them and the session; the customer's, "Order placed by store
  administrator" — and an entry in the session's journal (``receivers.py``, on Oscar's
  ``post_checkout``).
"""
