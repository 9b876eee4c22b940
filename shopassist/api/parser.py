"""Request bodies of the API: JSON, nested at most ``MAX_JSON_DEPTH`` levels.

No body of ours nests more than a few levels (an order's address in the order). Anything
deeper is refused with a 400 before validation walks it: pydantic and our own cleaning of the
text (schemas.Input) recurse, and a 1 KB body of nested arrays would exhaust Python's stack.
"""

import json

from django.utils.translation import gettext as _
from ninja.parser import Parser

from shopassist.api.errors import ApiError, ApiErrorCode

MAX_JSON_DEPTH = 32


class BoundedJsonParser(Parser):
    """ninja's JSON parser, refusing bodies that are not JSON or nest too deeply.

    ninja wraps whatever ``parse_body`` raises in an ``HttpError(400)``; the API's handler of
    that error answers with the ``ApiError`` it carries (api.py)."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError) as error:  # RecursionError: nested past the stack
            raise ApiError(
                400, ApiErrorCode.INVALID_REQUEST, _("The request body is not valid JSON.")
            ) from error
        if nests_deeper_than(data, MAX_JSON_DEPTH):
            raise ApiError(
                400,
                ApiErrorCode.INVALID_REQUEST,
                _("The request body nests deeper than %(depth)d levels.")
                % {"depth": MAX_JSON_DEPTH},
            )
        return data


def nests_deeper_than(data, limit: int) -> bool:
    """True if ``data`` holds lists or objects more than ``limit`` levels deep (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value)
    return False
