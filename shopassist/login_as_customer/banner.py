"""The banner of an assisted session, built on every page (so kept cheap: no template)."""

from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _

from shopassist.login_as_customer import session_state
from shopassist.stores.urls import store_reverse


def banner_html(request, session) -> str:
    """ "You are connected as NAME on WEBSITE", time left and Close session. Every value is
    escaped by format_html (names are customer-controlled)."""
    seconds_left = session_state.seconds_left(session)
    return format_html(
        '<div class="lac-banner" role="alert" data-testid="lac-banner">'
        '<div class="lac-banner-inner">'
        '<strong class="lac-banner-text">{text}</strong>'
        '<span class="lac-banner-time">{time_label} '
        '<time class="lac-countdown" data-seconds-left="{seconds}">{clock}</time>'
        "</span>"
        '<form method="post" action="{close_url}" class="lac-banner-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<button type="submit" class="lac-banner-close">{close}</button></form>'
        "</div></div>"
        '<link rel="stylesheet" href="{css}"><script src="{js}" defer></script>',
        text=_("You are connected as %(name)s on %(website)s")
        % {"name": session.customer_name, "website": session.website_name},
        time_label=_("Time left:"),
        seconds=seconds_left,
        clock=f"{seconds_left // 60}:{seconds_left % 60:02d}",
        close_url=store_reverse("login_as_customer:close", store_view=request.store_view),
        csrf=get_token(request),
        close=_("Close session"),
        css=static("shopassist/login_as_customer.css"),
        js=static("shopassist/lac_banner.js"),
    )
