"""Uploaded files (product pictures) at MEDIA_URL.

A proxy in front may serve ``MEDIA_ROOT`` at the same URL instead (docs/deploy.md); this view
makes the pictures show with nothing else set up. A file is served as a picture, never as a
page: an SVG with a script in it runs nothing (sandboxed, no sources allowed)."""

import errno

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
MAX_AGE = 24 * 60 * 60


@require_safe
def media_file(request, path):
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404 from None  # a name longer than the file system allows: no such file
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
