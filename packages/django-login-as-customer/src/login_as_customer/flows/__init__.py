"""One home per use case of Login as Customer.

* ``start.py`` — an administrator's start checked against the rules, the session and its
  one-time login link recorded, every refusal logged (admin panel and API alike).
* ``redeem.py`` — a login link redeemed once, in the browser that started it (or by the API's
  token exchange): the rules checked again, the session started.
* ``end.py`` — every ending of an assisted session (Close session, limits, consent revoked,
  feature off, permission lost, password changed, logout, deactivation, deletion, terminate,
  a replacing redemption, a link never used): the one place a session is ended and its end
  written to the log.
* ``live_check.py`` — what every request of an assisted session checks (web and API alike),
  on the idle clock both keep in the database.
* ``assisted_write.py`` — a state-changing request of an assisted session recorded with its
  change, the same way on the web (``middleware``) and in the API (``api/recording``).
* ``consent.py`` — the customer's consent: when it is valid (one rule, and its queryset form),
  how long a grant lasts (``ConsentDuration``), and ``set_consent``, the one way it changes.
"""
