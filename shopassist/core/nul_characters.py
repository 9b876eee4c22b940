"""NUL characters are refused at the door.

No field of ours holds one, PostgreSQL cannot store one in text (SQLite can) and a lookup that
carries one fails the whole query. A request whose path, query string, cookies or form fields
hold a NUL character is answered 400 (``handler400``: a page, or JSON in the API) before any
view, session or log entry reads it. The API's JSON bodies are not refused: their text is
cleaned when validated (api/schemas.py).
"""

from django.core.exceptions import BadRequest
from django.urls import get_resolver, get_urlconf
from django.utils.translation import gettext as _

from shopassist.core.areas import API, area_for_path

NUL = "\x00"


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            # Answered, not raised: the log gets Django's one line per 4xx ("Bad Request: ..."),
            # not a traceback for every request a scanner sends.
            refusal = BadRequest(_("The request contains a NUL character."))
            return get_resolver(get_urlconf()).resolve_error_handler(400)(request, refusal)
        return self.get_response(request)


def carries_nul(request) -> bool:
    if NUL in request.path_info or _any_nul(request.GET.lists()):
        return True
    if area_for_path(request.path_info) == API:
        return False  # no cookie is read there, and bodies are JSON
    if _any_nul(request.COOKIES.items()):
        return True
    # Form fields only: an uploaded file may hold any bytes.
    return request.method == "POST" and _any_nul(request.POST.lists())


def _any_nul(pairs) -> bool:
    for name, values in pairs:
        if NUL in name:
            return True
        if any(NUL in value for value in ([values] if isinstance(values, str) else values)):
            return True
    return False
