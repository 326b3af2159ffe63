"""The catalog's filters, shared by the public page and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.catalog.choices import ServiceCategory
from ventanilla.core.forms import StyledFormMixin
from ventanilla.registry.choices import Language
from ventanilla.territory.models import Locality


class ServiceFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *ServiceCategory.choices],
        required=False,
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.order_by("name"),
        to_field_name="uuid",
        empty_label=_("All localities"),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Any language")), *Language.choices],
        required=False,
    )

    def selector_kwargs(self) -> dict:
        """The valid filters as keyword arguments of selectors.services_public."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "category": data.get("category") or None,
            "locality": data.get("locality"),
            "language": data.get("language") or None,
            "query": data.get("q", ""),
        }
