"""Django's admin for site staff: every table, read and corrected by hand when needed."""

from django.contrib import admin

from placelab.web.studies import models


@admin.register(models.Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ("field", "locality", "owner", "created")
    search_fields = ("field", "locality", "owner__username")


@admin.register(models.Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "study", "sector", "layer", "seniority")
    list_filter = ("sector", "layer")
    search_fields = ("key", "name", "email")


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("participant", "wave", "sent", "reminders", "revoked")
    exclude = ("token",)  # a token shown here would be a token anyone at the desk could use


@admin.register(models.AnalysisRun)
class AnalysisRunAdmin(admin.ModelAdmin):
    list_display = ("wave", "status", "step", "created", "finished")
    list_filter = ("status",)


for model in (
    models.Membership,
    models.Wave,
    models.Organisation,
    models.Response,
    models.Nomination,
    models.Answer,
):
    admin.site.register(model)
