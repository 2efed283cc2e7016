"""Stub: to be written."""

from django.http import HttpResponse


def study_list(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def study_create(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def study_settings(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def waves(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def wave(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
