from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.models import Organization
from ventanilla.catalog.models import Service
from ventanilla.core.forms import DateInput, StyledFormMixin
from ventanilla.outreach.choices import AgeGroup, AttendeeSex, SessionKind
from ventanilla.territory.forms import TimeInput
from ventanilla.territory.models import AttentionPoint, Locality


class SessionFilterForm(StyledFormMixin, forms.Form):
    """The sessions list's filters (screen and API)."""

    when = forms.ChoiceField(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        required=False,
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.order_by("name"),
        to_field_name="uuid",
        empty_label=_("All localities"),
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *SessionKind.choices], required=False
    )

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "when": data.get("when") or "upcoming",
            "locality": data.get("locality"),
            "kind": data.get("kind") or None,
        }


class SessionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    attention_point = forms.ModelChoiceField(
        label=_("Attention point"),
        queryset=AttentionPoint.objects.filter(is_active=True).select_related("locality"),
        required=False,
        help_text=_("Needed to record registered attendees (as visits at this point)."),
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.order_by("name"),
        required=False,
        help_text=_("When there is no attention point. With a point, the point's locality."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)
    start_time = forms.TimeField(
        label=_("Starts"), required=False, widget=TimeInput(format="%H:%M")
    )
    end_time = forms.TimeField(label=_("Ends"), required=False, widget=TimeInput(format="%H:%M"))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Participating organizations"),
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def session_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["organizations"] = list(data.get("organizations") or [])
        return data


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AttendeeSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Find a registered person"), max_length=100, required=False)


class AnonymousCountsForm(StyledFormMixin, forms.Form):
    """The sex × age-group grid: one number input per cell, blank means 0."""

    def __init__(self, *args, initial_counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_counts = initial_counts or {}
        for age, age_label in AgeGroup.choices:
            for sex, sex_label in AttendeeSex.choices:
                name = self.field_name(sex, age)
                self.fields[name] = forms.IntegerField(
                    label=f"{sex_label}, {age_label}",
                    min_value=0,
                    max_value=100_000,
                    required=False,
                    initial=initial_counts.get((sex, age)) or None,
                    widget=forms.NumberInput(
                        attrs={"inputmode": "numeric", "class": "form-control-sm text-end"}
                    ),
                )
                self.fields[name].widget.attrs["min"] = 0

    @staticmethod
    def field_name(sex: str, age: str) -> str:
        return f"n_{sex}_{age}".replace("-", "_").replace("+", "plus")

    def rows(self):
        """For the template: one row per age group with its bound fields in sex order."""
        return [
            {
                "label": age_label,
                "cells": [self[self.field_name(sex, age)] for sex in AttendeeSex.values],
            }
            for age, age_label in AgeGroup.choices
        ]

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (sex, age): self.cleaned_data.get(self.field_name(sex, age)) or 0
            for age in AgeGroup.values
            for sex in AttendeeSex.values
        }


class ServiceDeliveredForm(StyledFormMixin, forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service from the catalog"),
        queryset=Service.objects.select_related("provider").order_by("name_es"),
        required=False,
    )
    description = forms.CharField(label=_("Or describe it"), max_length=200, required=False)
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("Defaults to the catalog service's provider."),
    )
    count = forms.IntegerField(
        label=_("People who received it"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    persons = forms.MultipleChoiceField(
        label=_("Registered attendees who received it"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, attendee_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = list(attendee_choices)
        if not attendee_choices:
            del self.fields["persons"]
