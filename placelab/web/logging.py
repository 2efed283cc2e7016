"""Survey tokens kept out of every log line: Django's loggers and gunicorn's access log.

A survey address, /s/<token>/<page>/, is the respondent's only key: whoever reads it in a log
can answer as them. Both the request line and the Referer (a survey page links to the next
one) carry it, so every text is passed through ``redact`` before it is written: the token
becomes an ellipsis, /s/…/consent/, keeping which page was asked for.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

# The token is whatever stands between /s/ and the next slash, query or end; %2F for a survey
# address carried inside a query string (?next=%2Fs%2F...).
_SURVEY = re.compile(r"(?P<lead>/|%2F)s(?P<sep>/|%2F)[^/?#&\s\"']+", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with every survey token replaced by "…"."""
    return _SURVEY.sub(lambda m: f"{m['lead']}s{m['sep']}…", text)


class RedactSurveyTokens(logging.Filter):
    """A logging filter: the record's message is formatted once, then redacted.

    Used on the handlers of settings.LOGGING, so that django.request ("Not Found:
    /s/<token>/") and django.server lines, and anything else that names a path, are covered.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class GunicornLogger(Logger):
    """gunicorn's logger with its access-log fields redacted (gunicorn_conf.logger_class).

    Every text field (request line, path, query, Referer, headers) is redacted, whatever
    access-log format an operator chooses.
    """

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
