"""Stub: to be written."""

from django.http import HttpResponse


def start(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def page(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
