from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ventanilla.core.forms import DateInput, StyledFormMixin
from ventanilla.privacy.choices import ConsentPurpose
from ventanilla.registry.choices import (
    DocumentType,
    Language,
    OrientationTopic,
    PopulationGroup,
    Relationship,
    Sex,
    VisitReason,
)
from ventanilla.registry.models import DifferentialApproach, Person
from ventanilla.registry.services import DIFFERENTIAL_FIELDS, birth_date_from_age
from ventanilla.territory.models import AttentionPoint, Locality


def _blank(choices, label=None):
    return [("", label or "—"), *choices]


# The nationalities a center in the region sees most, offered first (then every country).
FREQUENT_COUNTRIES = ("VE", "CO", "EC", "PE", "HT", "CU", "BO", "CL", "AR", "BR", "MX", "US")


def _country_choices():
    """Country names in the active language, sorted by it: a callable, so read per request."""
    names = dict(countries)
    frequent = [(code, names[code]) for code in FREQUENT_COUNTRIES if code in names]
    return _blank([(_("Frequent"), frequent), (_("All countries"), list(countries))])


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, document or phone"),
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autofocus": True,
                "autocomplete": "off",
                "placeholder": _("e.g. maria perez 1990, V12345678 or 3001234567"),
                "class": "form-control form-control-lg",
            }
        ),
    )


class BirthOrAgeMixin:
    """Date of birth, or an approximate age when the date is unknown."""

    def clean(self):
        data = super().clean()
        birth_date, age = data.get("birth_date"), data.get("approximate_age")
        if birth_date is None and age is None and "birth_date" not in self.errors:
            self.add_error("birth_date", _("Give the date of birth or an approximate age."))
        elif birth_date is None and age is not None:
            data["birth_date"] = birth_date_from_age(age, timezone.localdate())
            data["birth_date_estimated"] = True
        else:
            data["birth_date_estimated"] = False
        return data


class MemberForm(BirthOrAgeMixin, StyledFormMixin, forms.Form):
    """One member in the household registration flow: what intake needs, nothing more."""

    relationship = forms.ChoiceField(
        label=_("Relationship to the head"), choices=_blank(Relationship.choices)
    )
    given_names = forms.CharField(label=_("Given names"), max_length=120)
    first_surname = forms.CharField(label=_("First surname"), max_length=80)
    second_surname = forms.CharField(label=_("Second surname"), max_length=80, required=False)
    preferred_name = forms.CharField(
        label=_("Social or preferred name"), max_length=120, required=False
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    approximate_age = forms.IntegerField(
        label=_("or approximate age"), required=False, min_value=0, max_value=120
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices))
    nationality = forms.ChoiceField(
        label=_("Nationality"), required=False, choices=_country_choices
    )
    second_nationality = forms.ChoiceField(
        label=_("Second nationality"), required=False, choices=_country_choices
    )
    population_group = forms.ChoiceField(
        label=_("Population group"), choices=_blank(PopulationGroup.choices)
    )
    document_type = forms.ChoiceField(
        label=_("Document type"), required=False, choices=_blank(DocumentType.choices)
    )
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    document_country = forms.ChoiceField(
        label=_("Issued by"), required=False, choices=_country_choices
    )
    document_expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean(self):
        data = super().clean()
        doc_parts = [
            data.get("document_type"),
            data.get("document_number"),
            data.get("document_country"),
        ]
        if any(doc_parts) and not all(doc_parts):
            for name, value in zip(
                ("document_type", "document_number", "document_country"), doc_parts, strict=True
            ):
                if not value:
                    self.add_error(name, _("Complete the document, or leave it all empty."))
        return data

    def to_member(self) -> dict:
        data = self.cleaned_data
        nationalities = [c for c in (data.get("nationality"), data.get("second_nationality")) if c]
        fields = {
            "given_names": data["given_names"].strip(),
            "first_surname": data["first_surname"].strip(),
            "second_surname": data["second_surname"].strip(),
            "preferred_name": data["preferred_name"].strip(),
            "birth_date": data["birth_date"],
            "birth_date_estimated": data["birth_date_estimated"],
            "sex": data["sex"],
            "nationalities": list(dict.fromkeys(nationalities)),
            "phone": data["phone"].strip(),
        }
        documents = []
        if data.get("document_number"):
            documents.append(
                {
                    "document_type": data["document_type"],
                    "number": data["document_number"],
                    "issuing_country": data["document_country"],
                    "expires_on": data.get("document_expires_on"),
                }
            )
        return {
            "relationship": data["relationship"],
            "fields": fields,
            "population_group": data["population_group"],
            "documents": documents,
        }


class BaseMemberFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        heads = sum(1 for f in self.forms if f.cleaned_data.get("relationship") == "head")
        if heads != 1:
            raise forms.ValidationError(_("Mark exactly one member as head of household."))


MemberFormSet = forms.formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=20,
    validate_max=True,
)


class HouseholdForm(StyledFormMixin, forms.Form):
    locality = forms.ModelChoiceField(
        label=_("Locality"), queryset=Locality.objects.all(), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    consent_receive_services = forms.BooleanField(
        label=ConsentPurpose.RECEIVE_SERVICES.label, required=False, initial=True
    )
    consent_share_with_referrals = forms.BooleanField(
        label=ConsentPurpose.SHARE_WITH_REFERRALS.label, required=False
    )
    consent_anonymous_statistics = forms.BooleanField(
        label=ConsentPurpose.ANONYMOUS_STATISTICS.label, required=False, initial=True
    )

    def consents(self) -> dict[str, bool]:
        return {
            purpose: bool(self.cleaned_data.get(f"consent_{purpose}"))
            for purpose in ConsentPurpose.values
        }


class PersonForm(BirthOrAgeMixin, StyledFormMixin, forms.ModelForm):
    """Editing a person's data (the population group has its own form, with history)."""

    approximate_age = forms.IntegerField(
        label=_("or approximate age"), required=False, min_value=0, max_value=120
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.DateTimeField(widget=forms.HiddenInput)

    class Meta:
        model = Person
        fields = [
            "given_names",
            "first_surname",
            "second_surname",
            "preferred_name",
            "birth_date",
            "sex",
            "nationalities",
            "is_stateless",
            "country_of_birth",
            "arrival_country_date",
            "arrival_city_date",
            "phone",
            "email",
            "address",
            "locality",
            "languages",
            "education_level",
            "occupation",
        ]
        widgets = {
            "birth_date": DateInput,
            "arrival_country_date": DateInput,
            "arrival_city_date": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].required = False
        self.fields["nationalities"].required = False
        self.fields["nationalities"].widget.attrs["size"] = 6
        if self.instance.pk and self.instance.birth_date_estimated:
            self.initial["approximate_age"] = self.instance.age()
            self.initial["birth_date"] = None
        self.fields["version"].initial = self.instance.updated_at

    def clean(self):
        data = super().clean()
        person = self.instance
        unchanged_age = (
            person.pk
            and person.birth_date_estimated
            and not self.data.get(self.add_prefix("birth_date"))
            and data.get("approximate_age") == person.age()
        )
        if unchanged_age:
            # The age was shown and left as it was: keep the estimated date, do not re-estimate
            # it from today's date (which would log a change on every edit).
            data["birth_date"], data["birth_date_estimated"] = person.birth_date, True
        return data

    def person_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("approximate_age", None)
        data.pop("version", None)
        data["nationalities"] = list(data.get("nationalities") or [])
        return data


class NotAskedSelect(forms.NullBooleanSelect):
    """Yes / No / Not asked: an empty answer means the question was not asked."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Not asked")), ("true", _("Yes")), ("false", _("No"))]


class DifferentialForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DifferentialApproach
        fields = DIFFERENTIAL_FIELDS
        widgets = {
            name: NotAskedSelect
            for name in (
                "lgbtiq",
                "single_head_of_household",
                "survivor_of_trafficking",
                "survivor_of_armed_conflict",
                "survivor_of_gbv",
            )
        }


class PopulationGroupForm(StyledFormMixin, forms.Form):
    group = forms.ChoiceField(label=_("New population group"), choices=PopulationGroup.choices)
    since = forms.DateField(label=_("Since"), widget=DateInput)


class DocumentForm(StyledFormMixin, forms.Form):
    document_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    number = forms.CharField(label=_("Number"), max_length=40)
    issuing_country = forms.ChoiceField(label=_("Issued by"), choices=_country_choices)
    issued_on = forms.DateField(label=_("Issue date"), required=False, widget=DateInput)
    expires_on = forms.DateField(label=_("Expiry date"), required=False, widget=DateInput)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class VisitForm(StyledFormMixin, forms.Form):
    attention_point = forms.ModelChoiceField(
        label=_("Attention point"), queryset=AttentionPoint.objects.filter(is_active=True)
    )
    persons = forms.MultipleChoiceField(
        label=_("Who was served"), widget=forms.CheckboxSelectMultiple
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for the visit"),
        choices=VisitReason.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    orientation_topics = forms.MultipleChoiceField(
        label=_("Orientation given"),
        choices=OrientationTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Short note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, member_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = member_choices


class ConsentForm(StyledFormMixin, forms.Form):
    receive_services = forms.BooleanField(
        label=ConsentPurpose.RECEIVE_SERVICES.label, required=False
    )
    share_with_referrals = forms.BooleanField(
        label=ConsentPurpose.SHARE_WITH_REFERRALS.label, required=False
    )
    anonymous_statistics = forms.BooleanField(
        label=ConsentPurpose.ANONYMOUS_STATISTICS.label, required=False
    )


class AddMemberForm(StyledFormMixin, forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    relationship = forms.ChoiceField(
        label=_("Relationship to the head"), choices=_blank(Relationship.choices)
    )
