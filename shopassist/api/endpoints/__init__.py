"""Routers of the API, one module per resource: parse, call one service, render."""

from shopassist.api.schemas import Error

# Every authenticated operation can answer these.
AUTH_ERRORS = {401: Error, 403: Error}
