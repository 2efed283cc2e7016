"""Stub: to be written."""

from django.http import HttpResponse


def organisations(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def roster(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def roster_import(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
