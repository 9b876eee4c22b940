"""Signing in to the admin panel is entering the password: it opens the step-up window."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from login_as_customer.step_up import record_password_entered


@receiver(user_logged_in)
def stamp_password_entered(sender, request, user, **kwargs):
    # Only staff sign in through django.contrib.auth (customers have customers.auth).
    if request is not None and hasattr(request, "session"):
        record_password_entered(request.session)
