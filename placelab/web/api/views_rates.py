"""Stub: to be written."""

from django.http import HttpResponse


def response_rate(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
