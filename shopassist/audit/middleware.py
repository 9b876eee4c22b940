"""Each request: the request fields of its action log entries, and its refusals written once
its work is over (committed or rolled back)."""

from shopassist.audit import request_context, writer


class RequestContextMiddleware:
    """Placed right after the session middleware: every entry written while the request
    runs gets its user agent, session hash and client address (shopassist.audit.request_context).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_context.activate(request)
        try:
            response = self.get_response(request)
            # A refusal raised inside a transaction that rolled back is still queued.
            writer.flush_refusals()
            return response
        finally:
            request_context.deactivate(token)
