"""The respondent's forms, one per kind of page: they check what a browser may send.

The services check the same rules again (a forged request never reaches the database); the
forms are there to turn a mistake into a message next to the field it concerns.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from placelab.core.vocabulary import SENIORITIES
from placelab.web.studies.selectors.survey import FREQUENCIES

OTHER = "other"
OUTSIDER_SLOTS = 3
FREQUENCY_CHOICES = [("", "Not said"), *((str(v), label) for v, label in FREQUENCIES.items())]
SENIORITY_LABELS = {
    "senior": "Senior: I lead an organisation, service or department",
    "middle": "Middle: I manage a team, project or programme",
    "frontline": "Frontline: I work directly with pupils, patients, clients or the public",
    "resident": "Resident or community member",
}


class QuickRadioSelect(forms.RadioSelect):
    """Radio buttons whose ``<input>`` is written here, not by a template per button.

    An assessment page holds some 80 buttons; Django's two templates for each took most of
    the page's time (bench/README.md, "Load"). The markup is the same: type, name, value, then
    the button's own attributes (id, checked).
    """

    def _render(self, template_name, context, renderer=None) -> SafeString:
        button = context["widget"]
        if template_name != self.option_template_name or button.get("wrap_label"):
            return super()._render(template_name, context, renderer)
        attrs = {"type": button["type"], "name": button["name"], "value": button["value"]}
        attrs.update(button["attrs"])
        return mark_safe("<input" + "".join(_attribute(k, v) for k, v in attrs.items()) + ">")


class SurveyForm(forms.Form):
    """Required fields are marked in words, not by the browser's own bubbles."""

    use_required_attribute = False

    def summary(self) -> list[tuple[str, str]]:
        """The error summary: (id of the control to jump to, message), in the page's order."""
        rows = []
        for name, errors in self.errors.items():
            target = self.anchor(name)
            rows += [(target, message) for message in errors]
        return rows

    def anchor(self, name: str) -> str:
        if name == NON_FIELD_ERRORS or name not in self.fields:
            return "survey-form"
        return self[name].auto_id


class ConsentForm(SurveyForm):
    agree = forms.BooleanField(
        label="I have read this and agree to take part",
        error_messages={
            "required": "Tick the box to agree to take part, or close this page if you would "
            "rather not."
        },
    )


class AboutForm(SurveyForm):
    organisation = forms.ChoiceField(label="Your organisation", required=False)
    organisation_other = forms.CharField(
        label="Your organisation's name, if it is not on the list",
        help_text="Only if you chose “Another organisation”.",
        required=False,
        max_length=200,
    )
    seniority = forms.ChoiceField(
        label="Your role",
        required=False,
        widget=QuickRadioSelect,
        choices=[
            *((s, SENIORITY_LABELS.get(s, s)) for s in SENIORITIES),
            ("", "Prefer not to say"),
        ],
    )

    def __init__(self, *args, organisations: dict[int, str], attributes: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        self.fields["organisation"].choices = [
            ("", "Choose your organisation"),
            *((str(pk), name) for pk, name in organisations.items()),
            (OTHER, "Another organisation (not listed)"),
        ]
        self.attributes = [a for a in attributes if isinstance(a, dict) and a.get("key")]
        for attribute in self.attributes:
            self.fields[f"attr_{attribute['key']}"] = forms.CharField(
                label=attribute.get("label") or attribute["key"], required=False, max_length=200
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("organisation") == OTHER and not cleaned.get("organisation_other"):
            self.add_error(
                "organisation_other",
                "Give your organisation's name, or choose it from the list.",
            )
        return cleaned

    def about(self) -> dict:
        """What Response.about stores: the organisation's id and name (or their words)."""
        choice = self.cleaned_data["organisation"]
        chosen = int(choice) if choice not in ("", OTHER) else None
        other = self.cleaned_data["organisation_other"] if choice == OTHER else ""
        return {
            "organisation_id": chosen,
            "organisation": self.organisations.get(chosen, "") if chosen else other,
            "seniority": self.cleaned_data["seniority"],
            "attributes": {
                a["key"]: self.cleaned_data[f"attr_{a['key']}"] for a in self.attributes
            },
        }

    @staticmethod
    def initial_from(about: dict, participant) -> dict:
        """The form as saved, or, before the first save, as the roster has it."""
        if not about:
            return {
                "organisation": str(participant.organisation_id or ""),
                "seniority": participant.seniority,
            }
        chosen = about.get("organisation_id")
        initial = {
            "organisation": str(chosen) if chosen else (OTHER if about.get("organisation") else ""),
            "organisation_other": "" if chosen else about.get("organisation", ""),
            "seniority": about.get("seniority", ""),
        }
        for key, value in about.get("attributes", {}).items():
            initial[f"attr_{key}"] = value
        return initial

    def anchor(self, name: str) -> str:
        # A group of radio buttons is reached through its first button.
        return f"{self[name].auto_id}_0" if name == "seniority" else super().anchor(name)


class NetworkForm(SurveyForm):
    """People picked from the roster (``alter``, each with ``freq-<id>``) and outsiders.

    The same field names come from the type-ahead (picker.js) and from the plain checkboxes.
    ``roster_ids``: those of the posted ids the respondent may name (the view asks the
    database about these only, never the whole roster). ``slots``: boxes for people not on the
    list, three more than already named.
    """

    alter = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": "Choose people from this study's list: %(value)s is not on it."
        },
    )
    q = forms.CharField(label="Find someone on the list", required=False, max_length=200)

    def __init__(self, *args, roster_ids, slots: int = OUTSIDER_SLOTS, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.fields["alter"].choices = [(str(pk), str(pk)) for pk in roster_ids]
        for n in range(1, slots + 1):
            self.fields[f"outsider_{n}"] = forms.CharField(
                label=f"Name {n}", required=False, max_length=200
            )
            self.fields[f"outsider_{n}_freq"] = forms.ChoiceField(
                label=f"How often are you in touch with person {n}?",
                required=False,
                choices=FREQUENCY_CHOICES,
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["alters"] = [(pk, self._frequency(f"freq-{pk}")) for pk in cleaned.get("alter", [])]
        cleaned["outsiders"] = [
            (cleaned[f"outsider_{n}"], _number(cleaned.get(f"outsider_{n}_freq", "")))
            for n in range(1, self.slots + 1)
            if cleaned.get(f"outsider_{n}")
        ]
        return cleaned

    def _frequency(self, name: str) -> int | None:
        raw = self.data.get(name, "")
        if raw not in dict(FREQUENCY_CHOICES):
            self.add_error(None, "Choose how often you are in touch from the list.")
            return None
        return _number(raw)

    def anchor(self, name: str) -> str:
        return "q" if name == "alter" else super().anchor(name)


class AssessmentForm(SurveyForm):
    """One radio group per item: 1 to 5 on the agreement scale, or don't know; blank skips."""

    def __init__(self, *args, items, answer_scale: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p["value"]), p["label"]) for p in answer_scale["points"]]
        dont_know = answer_scale["dont_know"]
        choices.append((str(dont_know["value"]), dont_know["label"]))
        for item in items:
            self.fields[item.id] = forms.ChoiceField(
                label=item.text,
                required=False,
                choices=choices,
                widget=QuickRadioSelect,
                error_messages={"invalid_choice": "Choose one of the answers given."},
            )

    def values(self) -> dict[str, str]:
        return {item: value for item, value in self.cleaned_data.items() if value}

    def anchor(self, name: str) -> str:
        return f"{self[name].auto_id}_0" if name in self.fields else super().anchor(name)


def _attribute(name: str, value) -> str:
    """As Django's widgets write an attribute: True bare, False and None left out."""
    if value is True:
        return f" {name}"
    return "" if value is False or value is None else f' {name}="{escape(value)}"'


def _number(raw: str) -> int | None:
    return int(raw) if raw else None
