from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.models import Organization
from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.catalog.models import Service
from ventanilla.catalog.services import SERVICE_FIELDS
from ventanilla.core.forms import DateInput, StyledFormMixin
from ventanilla.registry.choices import Language, PopulationGroup
from ventanilla.territory.models import AttentionPoint


class ServiceForm(StyledFormMixin, forms.ModelForm):
    """A service and its texts in three languages. Saved by the services, never by the form."""

    population_groups = forms.MultipleChoiceField(
        label=_("Population groups"),
        help_text=_("Leave empty if the service is for everyone."),
        choices=PopulationGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages in which it is delivered"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Service
        fields = [*SERVICE_FIELDS, "attention_points"]
        widgets = {
            "active_from": DateInput,
            "active_to": DateInput,
            "attention_points": forms.CheckboxSelectMultiple,
            "description_es": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_pt": forms.Textarea(attrs={"rows": 3}),
            "conditions_es": forms.Textarea(attrs={"rows": 2}),
            "conditions_en": forms.Textarea(attrs={"rows": 2}),
            "conditions_pt": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        providers = Organization.objects.filter(is_active=True)
        if not has_cap(user, Cap.MANAGE_CATALOG):
            # Partner staff publish for their own organization only.
            providers = providers.filter(pk=user.organization_id)
            self.fields["provider"].initial = user.organization_id
        self.fields["provider"].queryset = providers
        self.fields["attention_points"].queryset = AttentionPoint.objects.filter(
            is_active=True
        ).select_related("locality")
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.updated_at

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["population_groups"] = list(data.get("population_groups") or [])
        data["languages"] = list(data.get("languages") or [])
        data["attention_points"] = list(data.get("attention_points") or [])
        return data
