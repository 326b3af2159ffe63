"""Human labels for the codes the audit and access logs store (codes stay stable in the data)."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "registry.person.created": _("Registered"),
    "registry.person.updated": _("Data changed"),
    "registry.person.population_group_changed": _("Population group changed"),
    "registry.document.added": _("Document added"),
    "registry.document.removed": _("Document removed"),
    "registry.household.created": _("Household created"),
    "registry.household.member_added": _("Joined a household"),
    "registry.household.member_left": _("Left the household"),
    "registry.visit.recorded": _("Visit recorded"),
    "privacy.consent.recorded": _("Consent recorded"),
    "privacy.consent.withdrawn": _("Consent withdrawn"),
}

VIEW_LABELS = {
    "registry.search": _("Search"),
    "registry.person_detail": _("Person page"),
    "registry.person_edit": _("Edit person"),
    "registry.document_add": _("Add document"),
    "registry.document_remove": _("Remove document"),
    "registry.visit_create": _("Record visit"),
    "registry.consent_update": _("Record consent"),
    "registry.consent_withdraw": _("Withdraw consent"),
    "registry.population_group_change": _("Change population group"),
    "registry.membership_end": _("Leave household"),
    "registry.household_start": _("Start household"),
    "registry.household_detail": _("Household page"),
    "registry.household_add_member": _("Add household member"),
    "api.persons.search": _("API: person search"),
    "api.persons.retrieve": _("API: person record"),
    "api.persons.update": _("API: person update"),
    "api.persons.documents": _("API: documents"),
    "api.persons.consents": _("API: consents"),
    "api.households.retrieve": _("API: household"),
    "api.visits.list": _("API: visits"),
}

CHANNEL_LABELS = {"ui": _("Screen"), "api": _("API")}

_MODELS_WITH_FIELDS = (
    "registry.Person",
    "registry.DifferentialApproach",
    "registry.IdentityDocument",
    "registry.Membership",
    "privacy.Consent",
)


def field_label(name: str) -> str:
    for label in _MODELS_WITH_FIELDS:
        model = apps.get_model(label)
        try:
            return str(model._meta.get_field(name).verbose_name).capitalize()
        except Exception:  # noqa: BLE001 - not a field of this model, try the next
            continue
    return name


def value_label(name: str, value) -> str:
    """A stored value as staff read it: choice labels instead of codes, "—" for empty."""
    if value in (None, "", []):
        return "—"
    for label in _MODELS_WITH_FIELDS:
        model = apps.get_model(label)
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001
            continue
        choices = dict(field.flatchoices) if field.choices else {}
        if choices and not isinstance(value, list):
            return str(choices.get(value, value))
        break
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    return str(value)
