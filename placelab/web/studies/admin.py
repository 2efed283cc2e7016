"""Django's admin for site staff: every table, read and corrected by hand when needed.

Deleting a study, wave, person or response here goes through ``services.erasure``, as the
owner's pages do, so that stored results never keep a deleted person and the audit log says so.
"""

from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType

from placelab.web.studies import models
from placelab.web.studies.services import erasure


class ErasingAdmin(admin.ModelAdmin):
    """Deletes one row or a selection through ``erase`` (the row and the user)."""

    def erase(self, obj, user) -> None:
        raise NotImplementedError

    def delete_model(self, request, obj) -> None:
        self.erase(obj, request.user)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.erase(obj, request.user)

    def log_deletions(self, request, queryset):
        # Django's log would keep the row's name ("Ann Lee") after the row is gone.
        return [
            LogEntry.objects.create(
                user_id=request.user.pk,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=f"{obj._meta.verbose_name} {obj.pk}",
                action_flag=DELETION,
            )  # fmt: skip
            for obj in queryset
        ]


@admin.register(models.Study)
class StudyAdmin(ErasingAdmin):
    list_display = ("field", "locality", "owner", "created")
    search_fields = ("field", "locality", "owner__username")

    def erase(self, obj, user) -> None:
        erasure.study_delete(study=obj, user=user)


@admin.register(models.Participant)
class ParticipantAdmin(ErasingAdmin):
    list_display = ("key", "name", "study", "sector", "layer", "seniority", "withdrawn")
    list_filter = ("sector", "layer")
    search_fields = ("key", "name", "email")

    def erase(self, obj, user) -> None:
        erasure.participant_delete(participant=obj, user=user)


@admin.register(models.Wave)
class WaveAdmin(ErasingAdmin):
    list_display = ("__str__", "study", "number", "status", "closes")

    def erase(self, obj, user) -> None:
        erasure.wave_delete(wave=obj, user=user)


@admin.register(models.Response)
class ResponseAdmin(ErasingAdmin):
    list_display = ("pk", "invitation", "started", "submitted")

    def erase(self, obj, user) -> None:
        erasure.response_delete(response=obj, user=user)


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
    models.Organisation,
    models.Nomination,
    models.Answer,
):
    admin.site.register(model)
