"""Stub: to be written."""

from django.http import HttpResponse


def access(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def revoke(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
