from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Sum
from django.shortcuts import render
from django.utils.translation import get_language

from hijack_site.models import CartItem, Category, CategoryName

LANGUAGES = (("en", "English"), ("fr", "Français"), ("ko", "한국어"), ("zh-hant", "繁體中文"))
ACCOUNT_MENU = (
    ("account", "My Account"),
    ("order_history", "My Orders"),
    ("address_book", "Address Book"),
    ("account_edit", "Account Information"),
    ("assisted_sessions", "Assisted sessions"),
)


@login_required
def account(request):
    """The customer's account page: as many statements as ShopAssist's (session, customer,
    cart count, categories, their names)."""
    user = request.user
    cart_count = CartItem.objects.filter(cart__user=user, cart__is_active=True).aggregate(
        total=Sum("qty")
    )["total"]
    names = CategoryName.objects.filter(language=get_language())
    categories = Category.objects.filter(is_active=True).order_by("position")
    categories = categories.prefetch_related(Prefetch("names", queryset=names))
    return render(
        request,
        "hijack_site/account.html",
        {
            "cart_count": cart_count or 0,
            "categories": categories,
            "languages": LANGUAGES,
            "menu": ACCOUNT_MENU,
            "current": "account",
        },
    )
