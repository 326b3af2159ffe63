from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.models import Organization
from ventanilla.core.forms import StyledFormMixin
from ventanilla.territory.choices import AttentionPointKind, Weekday
from ventanilla.territory.models import Locality


class TimeInput(forms.TimeInput):
    input_type = "time"


class AttentionPointForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=AttentionPointKind.choices)
    locality = forms.ModelChoiceField(label=_("Locality"), queryset=Locality.objects.all())
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.filter(is_active=True),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class OpeningHoursForm(StyledFormMixin, forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"), coerce=int, choices=[("", "—"), *Weekday.choices]
    )
    opens = forms.TimeField(label=_("Opens"), widget=TimeInput(format="%H:%M"))
    closes = forms.TimeField(label=_("Closes"), widget=TimeInput(format="%H:%M"))

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("Closing time must be after opening time."))
        return data


OpeningHoursFormSet = forms.formset_factory(OpeningHoursForm, extra=2, max_num=21, can_delete=True)
