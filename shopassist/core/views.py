from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request, reason=""):
    return render(
        request,
        "core/csrf_failure.html",
        {"message": _("Your form expired or was sent from another page. Reload and try again.")},
        status=403,
    )
