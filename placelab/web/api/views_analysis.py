"""Stub: to be written."""

from django.http import HttpResponse


def analysis_status(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def analysis_result(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
