"""Stub: to be written."""

from django.http import HttpResponse


def invitations(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def send(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def remind(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def revoke(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


def outsiders(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)
