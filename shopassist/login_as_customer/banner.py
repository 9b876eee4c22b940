"""The banner of an assisted session, built on every page — so kept cheap: no template, and
the markup is assembled once per process and language; per request only values are escaped."""

from functools import lru_cache

from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shopassist.login_as_customer import session_state
from shopassist.stores.urls import store_reverse


@lru_cache(maxsize=32)
def _skeleton(language: str) -> str:
    """The banner's markup in one language, with {named} slots for the per-request values."""
    text = escape(_("You are connected as %(name)s on %(website)s")) % {
        "name": "{name}",
        "website": "{website}",
    }
    return (
        '<div class="lac-banner" role="alert" data-testid="lac-banner">'
        '<div class="lac-banner-inner">'
        f'<strong class="lac-banner-text">{text}</strong>'
        f'<span class="lac-banner-time">{escape(_("Time left:"))} '
        '<time class="lac-countdown" data-seconds-left="{seconds}">{clock}</time></span>'
        '<form method="post" action="{close_url}" class="lac-banner-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        f'<button type="submit" class="lac-banner-close">{escape(_("Close session"))}</button>'
        "</form></div></div>"
        f'<link rel="stylesheet" href="{static("shopassist/login_as_customer.css")}">'
        f'<script src="{static("shopassist/lac_banner.js")}" defer></script>'
    )


def banner_html(request, session) -> str:
    """ "You are connected as NAME on WEBSITE", time left and Close session. Every value is
    escaped (names are customer-controlled)."""
    seconds_left = session_state.seconds_left(session)
    return _skeleton(get_language()).format(
        name=escape(session.customer_name),
        website=escape(session.website_name),
        seconds=seconds_left,
        clock=f"{seconds_left // 60}:{seconds_left % 60:02d}",
        close_url=escape(store_reverse("login_as_customer:close", store_view=request.store_view)),
        csrf=escape(get_token(request)),
    )
