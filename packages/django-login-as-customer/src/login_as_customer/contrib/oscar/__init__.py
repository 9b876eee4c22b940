"""Login as Customer in a django-oscar shop, without forking any of Oscar's apps.

Put ``"login_as_customer.contrib.oscar"`` in ``INSTALLED_APPS`` before Oscar's apps and set
``LOGIN_AS_CUSTOMER["HOST"] = "login_as_customer.contrib.oscar.host.OscarHost"``. It brings:

* the button and its confirmation dialog on the dashboard's customer and order pages, and the
  "Allow remote shopping assistance" form on the profile edit page (template overrides that
  extend Oscar's own templates of the same name);
* ``OscarHost``: Oscar's pages around the feature's storefront pages, the redemption landing on
  the customer's account, and the browser's anonymous basket cookie dropped on every assisted
  request (never merged into the customer's by Oscar's ``BasketMiddleware``);
* what an assisted session may not do on Oscar's pages (SPEC §6): change the password or the
  e-mail address, delete the account (refused with their message, and, whatever view saves the
  account, by ``account_guard``), read the mail Oscar kept for the customer (password-reset
  links); and Oscar's GETs that change data (a default address, a stock alert) count as
  writes: refused in a view-only session, recorded in a full one;
* an order placed in an assisted session gets an Oscar order note naming the administrator and
  an entry in the session's journal (``receivers.py``, on Oscar's ``post_checkout``).
"""
