"""A Content Security Policy: pages load scripts, styles and images from this site alone.

This is how the promise that no page loads anything from another host is kept in the browser,
not only in the templates: a script, style or image from elsewhere, or an inline script, is
refused. Django's admin, with its own inline code, is left to Django's defaults.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


# The invitation email's preview frame (srcdoc, sandboxed, so it runs nothing) inherits its
# page's policy, and an email can only be styled inline: that one page allows inline styles, so
# the owner sees the email as it arrives. Scripts stay refused.
POLICY_WITH_INLINE_STYLES = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def content_security_policy(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

    return middleware
