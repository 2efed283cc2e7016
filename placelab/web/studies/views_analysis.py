"""Stub: to be written."""

from django.http import HttpResponse


def study_detail(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def analysis(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def run(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
