"""The shop's URLs plus pages of the shop's own that write a password (a fork of Oscar's
customer app might have them): one that writes the customer's e-mail or password, which the
account guard refuses whatever the view, and a fork of the reset link's form under Oscar's URL
name, which can set another account's password."""

from django.http import HttpResponse
from django.urls import path

from oscar_shop.urls import urlpatterns as shop_urlpatterns


def quick_change(request):
    data = request.POST or request.GET
    if "email" in data:
        request.user.email = data["email"]
    else:
        request.user.set_password(data["password"])
    request.user.save()
    return HttpResponse("saved")


def own_reset_confirm(request, uid, token):
    """Sets the password of the account the link names (its token checked elsewhere)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=uid)
    user.set_password(request.POST["new_password1"])
    user.save()
    return HttpResponse("saved")


urlpatterns = [
    path("accounts/quick-change/", quick_change),
    path("own-reset/<int:uid>/<str:token>/", own_reset_confirm, name="password-reset-confirm"),
    *shop_urlpatterns,
]
