"""Forms for setting a study up: the study, its survey, waves, access, organisations, roster.

Forms check what a person typed and say what is wrong next to the field; the writes are the
services'. Choices come from core's vocabulary and item bank, never from a list kept here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings

from placelab.core.data import PEOPLE_COLUMNS
from placelab.core.networks.layout import DEFAULT_SECTOR_ORDER
from placelab.core.toolkit.bank import ID_PATTERN
from placelab.core.toolkit.planned import SHORT_FORM
from placelab.core.vocabulary import LAYERS, NETWORKS, QUESTIONS, SECTORS, SENIORITIES, label
from placelab.web.studies.models import Membership, Organisation, Participant, Study, choices
from placelab.web.studies.selectors.roster import EMAIL, participant_key_next
from placelab.web.studies.selectors.survey import shipped_bank
from placelab.web.studies.services.access import ROLE_MEANS

# Attribute keys become columns beside people.csv's, so they may not take those names.
RESERVED_KEYS = (*PEOPLE_COLUMNS, EMAIL)
ROSTER_SUFFIXES = (".csv", ".xlsx", ".xlsm")
ALL_STATEMENTS = "all"


class StudyForm(forms.Form):
    locality = forms.CharField(max_length=200, help_text='The place, e.g. "Riverside borough".')
    field = forms.CharField(max_length=200, help_text='e.g. "secondary education".')
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the study is for; shown to those with access to it.",
    )  # fmt: skip


class SurveyForm(StudyForm):
    """The study's details and what its survey asks."""

    networks = forms.MultipleChoiceField(
        choices=choices(NETWORKS), widget=forms.CheckboxSelectMultiple,
        label="Networks to ask about", error_messages={"required": "Ask at least one network."},
    )  # fmt: skip
    survey_layout = forms.ChoiceField(
        required=False, choices=Study.SURVEY_LAYOUTS, widget=forms.RadioSelect, label="How the networks are asked",
        help_text="A grid asks each respondent for the people they deal with once, then for a "
        "tick per person and network: far fewer pages and taps than a page per network.",
    )  # fmt: skip
    groups = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Self-assessment groups to ask",
        help_text="Untick a group to leave its statements out of the survey.",
    )  # fmt: skip
    statements = forms.ChoiceField(
        required=False, widget=forms.RadioSelect, label="How many statements each person answers",
    )  # fmt: skip
    extra_sectors = forms.CharField(
        required=False, label="Extra sectors",
        help_text="Sectors beyond the standard list, separated by commas, "
        "e.g. housing_association.",
    )  # fmt: skip
    sector_order = forms.CharField(
        required=False, label="Order of the sectors on the maps",
        help_text="Sector names separated by commas. The first two sit side by side at the top, "
        "the last at the bottom; sectors left out follow in the usual order, and sectors of "
        "fewer than five people share one box, Other sectors, at the end. Blank for the "
        "usual order: " + ", ".join(label(s) for s in DEFAULT_SECTOR_ORDER) + ".",
    )  # fmt: skip
    attributes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}),
        label="Questions respondents answer about themselves",
        help_text="One per line: a key, a colon, then the question, e.g. "
        "years_in_post: How many years have you been in your post?",
    )  # fmt: skip

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        self.study = study
        groups = shipped_bank(study.item_bank).groups
        kwargs.setdefault("initial", self._initial(study, [g.id for g in groups]))
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(g.id, g.title) for g in groups]
        self._statements_choices(len(shipped_bank(study.item_bank).items))
        for network in NETWORKS:
            self.fields[f"question_{network}"] = forms.CharField(
                required=False, max_length=300, label=f"{network.capitalize()} network question",
                help_text=f"Blank for the default: {QUESTIONS[network]}",
            )  # fmt: skip

    def _statements_choices(self, total: int) -> None:
        """A share of the statements each (planned missingness, core.toolkit.planned) or all."""
        shares = sorted({SHORT_FORM, 30, 40, self.study.assessment_statements or SHORT_FORM})
        field = self.fields["statements"]
        field.choices = [
            (str(n), f"About {n} of the {total}, chosen at random for each person"
                     f"{' (recommended: a short survey)' if n == SHORT_FORM else ''}")
            for n in shares if n < total
        ] + [(ALL_STATEMENTS, f"Every statement ({total})")]  # fmt: skip
        field.help_text = (
            f"With a share, each person answers about {SHORT_FORM} of the {total} statements "
            "(or 30, or 40), chosen at random for them and kept; together they cover all of "
            "them, and everyone answers half of the statements on each phase of the lifecycle. "
            "Fewer statements make a shorter survey and wider margins of error in the "
            "diagnosis. Groups you untick above are left out either way."
        )

    def assessment_statements(self) -> int | None:
        """The number chosen; None for every statement; the study's own when none was sent."""
        chosen = self.cleaned_data["statements"]
        if not chosen:
            return self.study.assessment_statements
        return None if chosen == ALL_STATEMENTS else int(chosen)

    @staticmethod
    def _initial(study: Study, groups: list[str]) -> dict[str, Any]:
        return {
            "locality": study.locality, "field": study.field, "description": study.description,
            "networks": study.networks, "survey_layout": study.survey_layout,
            "groups": [g for g in groups if g not in study.excluded_groups],
            "statements": str(study.assessment_statements or ALL_STATEMENTS),
            "extra_sectors": ", ".join(study.extra_sectors),
            "sector_order": ", ".join(label(s) for s in study.sector_order),
            "attributes": "\n".join(f"{a['key']}: {a['label']}" for a in study.attributes),
            **{f"question_{n}": study.question(n) for n in NETWORKS},
        }  # fmt: skip

    def clean_networks(self) -> list[str]:
        chosen = set(self.cleaned_data["networks"])
        return [n for n in NETWORKS if n in chosen]  # the survey asks them in the standard order

    def clean_extra_sectors(self) -> list[str]:
        words = [w for w in re.split(r"[,\s]+", self.cleaned_data["extra_sectors"]) if w]
        bad = [w for w in words if not ID_PATTERN.match(w)]
        if bad:
            raise forms.ValidationError(
                f"{bad[0]!r} is not a sector id: use lower-case letters, digits and underscores, "
                "starting with a letter."
            )
        kept = list(dict.fromkeys(w for w in words if w not in SECTORS))
        dropped = set(self.study.extra_sectors) - set(kept)
        in_use = self._sectors_in_use(dropped)
        if in_use:
            raise forms.ValidationError(
                f"The sector {in_use[0]!r} is still used on the roster or by an organisation: "
                "change those first."
            )
        return kept

    def clean_sector_order(self) -> list[str]:
        """Sector names (or codes) in the order typed; each must be one of the study's."""
        known = {*SECTORS, *self.study.extra_sectors, *self.cleaned_data.get("extra_sectors", [])}
        by_name = {label(s).casefold(): s for s in known} | {s: s for s in known}
        order = []
        for word in (w.strip() for w in self.cleaned_data["sector_order"].split(",")):
            if not word:
                continue
            sector = by_name.get(word.casefold()) or by_name.get(word)
            if sector is None:
                raise forms.ValidationError(
                    f"{word!r} is not one of this study's sectors: write a sector's name, "
                    "e.g. Local authority."
                )
            order.append(sector)
        return list(dict.fromkeys(order))

    def _sectors_in_use(self, sectors: set[str]) -> list[str]:
        used = set(
            self.study.organisations.filter(sector__in=sectors).values_list("sector", flat=True)
        )
        used |= set(
            self.study.participants.filter(sector__in=sectors).values_list("sector", flat=True)
        )
        return sorted(used)

    def clean_attributes(self) -> list[dict[str, str]]:
        attributes: list[dict[str, str]] = []
        for number, line in enumerate(self.cleaned_data["attributes"].splitlines(), start=1):
            if line.strip():
                attributes.append(_attribute(number, line, {a["key"] for a in attributes}))
        return attributes

    def excluded_groups(self) -> list[str]:
        chosen = set(self.cleaned_data["groups"])
        return [g for g, _ in self.fields["groups"].choices if g not in chosen]

    def questions(self) -> dict[str, str]:
        return {n: self.cleaned_data[f"question_{n}"] for n in NETWORKS}


def _attribute(number: int, line: str, taken: set[str]) -> dict[str, str]:
    key, colon, label = (part.strip() for part in line.partition(":"))
    problem = None
    if not colon or not label:
        problem = "give a key, a colon, then the question"
    elif not ID_PATTERN.match(key):
        problem = f"{key!r} is not a key: use lower-case letters, digits and underscores"
    elif key in RESERVED_KEYS:
        problem = f"{key!r} is already a roster column ({', '.join(RESERVED_KEYS)})"
    elif key in taken:
        problem = f"the key {key!r} is used twice"
    elif len(label) > 300:
        problem = "the question is longer than 300 characters"
    if problem:
        raise forms.ValidationError(f"Line {number}: {problem}.")
    return {"key": key, "label": label}


class ReferenceShareForm(forms.Form):
    """The owner's choice to add the study's anonymised figures to the reference pool
    (services.reference); posted on its own, beside the survey set-up."""

    reference_opt_in = forms.BooleanField(
        required=False,
        label="Share this study's anonymised figures with the other studies on this site",
        help_text="Each finished analysis then replaces the figures shared before. Untick to "
        "stop: the shared figures are deleted at once.",
    )


class WaveForm(forms.Form):
    title = forms.CharField(required=False, max_length=200, help_text='e.g. "Spring 2025".')
    closes = forms.DateField(
        required=False,
        label="Closes on",
        # A date input takes ISO dates whatever the site's locale shows.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Optional: the date you plan to close the wave (YYYY-MM-DD).",
    )


class GrantForm(forms.Form):
    """Whom to give a role, by email (services.access). Nothing here looks an account up, so
    the form answers alike whether or not one exists; only the owner's own address is refused,
    which tells the owner nothing they do not know."""

    email = forms.EmailField(
        max_length=254, label="Their email address",
        help_text="If they have no account here, we make one and email them a link to set a "
        "password.",
    )  # fmt: skip
    role = forms.ChoiceField(
        choices=[(role, f"{dict(Membership.ROLES)[role]}: {ROLE_MEANS[role]}")
                 for role in (Membership.VIEWER, Membership.ANALYST)],
        widget=forms.RadioSelect, initial=Membership.VIEWER,
    )  # fmt: skip

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        self.study = study
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.study.owner.email or "").lower():
            raise forms.ValidationError("That is the study's owner, who already has full access.")
        return email


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=200)
    sector = forms.ChoiceField()
    layer = forms.ChoiceField(
        choices=choices(LAYERS), help_text="Its layer of the local innovation system."
    )

    def __init__(
        self, *args: Any, study: Study, instance: Organisation | None = None, **kwargs: Any
    ) -> None:
        self.study, self.instance = study, instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {"name": instance.name, "sector": instance.sector, "layer": instance.layer},
            )
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = choices(study.sectors)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        others = self.study.organisations.filter(name=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"There is already an organisation called {name!r}.")
        return name


class ParticipantForm(forms.Form):
    key = forms.CharField(required=False, max_length=100, label="Roster id")
    name = forms.CharField(required=False, max_length=200)
    email = forms.EmailField(
        required=False, max_length=254, help_text="Where the invitation is sent."
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="(none)"
    )
    new_organisation = forms.CharField(
        required=False, max_length=200, label="Or a new organisation",
        help_text="Type a name to add the organisation, with this person's sector and layer.",
    )  # fmt: skip
    sector = forms.ChoiceField()
    layer = forms.ChoiceField(choices=choices(LAYERS))
    seniority = forms.ChoiceField(
        required=False, choices=[("", "(not said)"), *choices(SENIORITIES)]
    )

    def __init__(
        self, *args: Any, study: Study, instance: Participant | None = None, **kwargs: Any
    ) -> None:
        self.study, self.instance = study, instance
        self.next_key = participant_key_next(study=study)
        kwargs.setdefault("initial", _person_initial(instance) if instance else {})
        super().__init__(*args, **kwargs)
        self.fields["key"].help_text = f"Blank for the next free id, {self.next_key}."
        self.fields["organisation"].queryset = study.organisations.order_by("name")
        self.fields["sector"].choices = choices(study.sectors)
        for attribute in study.attributes:
            self.fields[f"attr_{attribute['key']}"] = forms.CharField(
                required=False, max_length=200, label=attribute["label"]
            )

    def clean_key(self) -> str:
        key = self.cleaned_data["key"] or self.next_key
        others = self.study.participants.filter(key=key)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"The roster id {key!r} is already used.")
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("organisation") and data.get("new_organisation"):
            self.add_error(
                "new_organisation",
                "Pick an organisation from the list or type a new one, not both.",
            )
        return data

    def attributes(self) -> dict[str, str]:
        return {a["key"]: self.cleaned_data[f"attr_{a['key']}"] for a in self.study.attributes}


def _person_initial(person: Participant) -> dict[str, Any]:
    return {
        "key": person.key, "name": person.name, "email": person.email,
        "organisation": person.organisation_id, "sector": person.sector, "layer": person.layer,
        "seniority": person.seniority,
        **{f"attr_{k}": v for k, v in person.attributes.items()},
    }  # fmt: skip


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file",
        help_text="CSV (UTF-8, UTF-16, Windows-1252 or Latin-1; commas, semicolons or tabs) or "
        "XLSX, with the columns id, name, organisation, sector, layer, seniority; optionally "
        "email; any other column is kept as an attribute.",
        widget=forms.FileInput(attrs={"accept": ",".join(ROSTER_SUFFIXES)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Read in memory, so the file is capped at the size Django keeps in memory.
        limit = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB (expected at most {limit // 1024} KB)."
            )
        if Path(upload.name).suffix.lower() not in ROSTER_SUFFIXES:
            raise forms.ValidationError(
                f"{upload.name!r} is neither a CSV nor an XLSX file (expected a name ending "
                ".csv or .xlsx)."
            )
        return upload
