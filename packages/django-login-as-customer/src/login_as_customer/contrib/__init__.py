"""Ready-made hosts for shop frameworks (``login_as_customer.contrib.oscar`` for django-oscar)."""
