"""Stub: to be written."""

from django.http import HttpResponse


def responses(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
