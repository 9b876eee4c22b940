"""A minimal Django project for `make bench-peer`: a customer's account page, with
django-hijack set up as its documentation says (app, middleware after authentication, URLs,
the staff permission check). Runs in the peer virtualenv only (see run_hijack.py)."""
