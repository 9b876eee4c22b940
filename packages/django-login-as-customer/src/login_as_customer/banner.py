"""The banner of an assisted session, built on every page — so kept cheap: no template; the
markup is assembled once per process and language, filled with a session's values once per
session and store view, and per request only the time left and the CSRF token go in. And the
notice of assisted sessions a customer sees after their own next sign-in (``notice_html``)."""

from functools import lru_cache
from string import Formatter

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.timezone import localtime
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from login_as_customer.bidi import contained, direction_controls_in, isolated_text
from login_as_customer.flows import live_check
from login_as_customer.host import host
from login_as_customer.models import SessionMode


@lru_cache(maxsize=32)
def _skeleton(language: str) -> str:
    """The banner's markup in one language, with {named} slots for the per-request values."""
    with override(language):
        return _markup()


def _markup() -> str:
    text = escape(_("You are connected as %(name)s on %(website)s")) % {
        "name": "{name_in_text}",
        "website": "{website}",
    }
    # Outside the f-string: xgettext does not look inside f-strings (makemessages would miss it).
    time_left = escape(_("Time left:"))
    close = escape(_("Close session"))
    # Filled in by the script (%(name)s, %(other)s stay as they are here).
    replaced = escape(
        _("The assisted session as %(name)s was closed because you started one as %(other)s.")
    )
    ended = escape(_("You are no longer connected as %(name)s. You can close this tab."))
    return (
        # A labelled region, not a live one: the countdown changes every second and must not
        # be announced; the start message is the page's live region (storefront messages).
        '<section class="lac-banner" aria-labelledby="lac-banner-text" data-testid="lac-banner" '
        # For lac_tabs.js: which session this page belongs to, and what to say in it once
        # another tab of the browser started a newer one or closed this one.
        'data-lac-session="{session_id}" data-lac-started="{started}" data-lac-name="{name}" '
        f'data-lac-replaced="{replaced}" data-lac-ended="{ended}">'
        '<div class="lac-banner-inner"><p class="lac-banner-status">'
        f'<strong class="lac-banner-text" id="lac-banner-text">{text}</strong> {{mode}}'
        f'<span class="lac-banner-time"><span class="lac-banner-time-label">{time_left}</span> '
        '<time class="lac-countdown" role="timer" data-seconds-left="{seconds}">{clock}</time>'
        "</span></p>"
        '<form method="post" action="{close_url}" class="lac-banner-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        f'<button type="submit" class="lac-banner-close">{close}</button>'
        "</form></div></section>"
        f'<link rel="stylesheet" href="{static("login_as_customer/login_as_customer.css")}">'
        f'<script src="{static("login_as_customer/lac_banner.js")}" defer></script>'
        f'<script src="{static("login_as_customer/lac_tabs.js")}" defer></script>'
    )


def _close_url(store_view) -> str:
    """Close session's address, escaped: the same on every page of a store view (the store
    view is all the URL holds besides the script prefix, which reverse() reads)."""
    return escape(host().storefront_url("login_as_customer:close", store_view))


_PER_REQUEST = ("seconds", "clock", "csrf")


@lru_cache(maxsize=256)
def _session_banner(
    language: str,
    store_view,  # hashed and compared by its primary key
    script_name: str,  # the request's: the close address starts with it
    session_id: int,
    started_at,
    name: str,
    website: str,
    mode: str,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The banner with one session's values in place, as its literal pieces and the
    per-request slots (``_PER_REQUEST``) between them: a request joins them, instead of
    scanning two kilobytes of markup for slots as ``str.format`` would. Only the skeleton, our
    own markup, is parsed for slots, so a customer's name is text wherever it holds braces."""
    values = {
        "session_id": str(session_id),
        "started": str(int(started_at.timestamp() * 1000)),
        # For lac_tabs.js's sentences (text, never markup): between FSI and PDI if need be.
        "name": escape(isolated_text(name)),
        "name_in_text": _in_sentence(name),
        "website": escape(website),
        "close_url": _close_url(store_view),
        "mode": _mode_badge(language, mode),
    }
    literals, slots, piece = [], [], []
    for literal, slot, _spec, _conversion in Formatter().parse(_skeleton(language)):
        piece.append(literal)
        if slot in _PER_REQUEST:
            literals.append("".join(piece))
            slots.append(slot)
            piece = []
        elif slot is not None:
            piece.append(values[slot])
    literals.append("".join(piece))
    return tuple(literals), tuple(slots)


def _in_sentence(name: str) -> str:
    """The customer's name, escaped, for the banner's sentence: a name holding direction
    controls (which the customer typed) in an isolate of its own, so that they cannot reorder
    "on WEBSITE" after it (``bidi``); any other name as it is."""
    if not direction_controls_in(name):
        return escape(name)
    return f"<bdi>{escape(contained(name))}</bdi>"


def _mode_badge(language: str, mode: str) -> str:
    """ "View only" next to the banner's text in a view-only session; nothing otherwise."""
    if mode != SessionMode.VIEW_ONLY:
        return ""
    with override(language):
        label = escape(_("View only"))
    return f'<span class="lac-banner-mode" data-testid="lac-banner-mode">{label}</span> '


def _script_name(request) -> str:
    """The request's script name (``request.path`` is it followed by ``path_info``), which is
    what ``get_script_prefix()`` holds during the request, less its closing slash: read
    without the thread-local lookup, as the memo's key (the address itself is reversed with
    the script prefix, once)."""
    return request.path[: len(request.path) - len(request.path_info)]


def banner_html(request, session, *, now=None) -> str:
    """ "You are connected as NAME on WEBSITE", time left and Close session. Every value is
    escaped (names are customer-controlled); the CSRF token needs none: it is made of letters
    and digits only (``core.csrf``)."""
    literals, slots = _session_banner(
        # The page's language (its Content-Language): LocaleMiddleware's, else the active one.
        getattr(request, "LANGUAGE_CODE", None) or get_language(),
        host().current_store_view(request),
        _script_name(request),
        session.pk,
        session.started_at,
        session.customer_name,
        session.website_name,
        session.mode,
    )
    seconds_left = live_check.seconds_until_end(session, now=now)
    minutes, seconds = divmod(seconds_left, 60)
    values = {
        "seconds": str(seconds_left),
        # M:SS, from an hour up H:MM:SS ("23:59:59", not "1439:59"), as lac_banner.js counts.
        "clock": f"{minutes}:{seconds:02d}"
        if minutes < 60
        else f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}",
        "csrf": host().csrf_token(request),
    }
    pieces = [literals[0]]
    for slot, literal in zip(slots, literals[1:], strict=True):
        pieces += (values[slot], literal)
    return "".join(pieces)


def _duration(seconds: int) -> str:
    if seconds < 60:
        return _("less than a minute")
    minutes = round(seconds / 60)
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def notice_html(request, told: dict) -> str:
    """The notice of the assisted sessions on the customer's account since they were last told
    (``flows/notice``): who, when, how long, a link to what was done, and Dismiss."""
    store_view = host().current_store_view(request)
    sessions = [
        {
            "admin": told_session["admin"] or _("A store administrator"),
            "started": localtime(parse_datetime(told_session["started_at"])),
            "duration": _duration(told_session["seconds"]),
        }
        for told_session in told["sessions"]
    ]
    return render_to_string(
        "login_as_customer/notice.html",
        {
            "sessions": sessions,
            "more": told["more"],
            "history_url": host().storefront_url("login_as_customer:assisted_sessions", store_view),
            "dismiss_url": host().storefront_url("login_as_customer:dismiss_notice", store_view),
            "csrf": host().csrf_token(request),
            "next": request.get_full_path(),
        },
    )
