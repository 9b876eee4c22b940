from shopassist.core.config.resolver import config


class ConfigRefreshMiddleware:
    """Check the configuration version once per request (one cache read)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with config.request_scope():
            return self.get_response(request)
