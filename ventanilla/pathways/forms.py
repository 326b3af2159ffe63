"""The public questionnaire: one GET form holding every fact; each step shows a few of them."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ventanilla.core.forms import DateInput, StyledFormMixin

TRI_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("I don't know"))]
TRI_VALUES = {"yes": True, "no": False, "unknown": "unknown"}
DOCUMENT_CHOICES = [
    ("passport", _("Passport")),
    ("pip", _("PIP (entry and stay permit)")),
    ("ptp", _("PTP (temporary stay permit)")),
    ("pep", _("PEP (special stay permit)")),
    ("ppt", _("PPT (temporary protection permit)")),
    ("visa", _("Visa")),
    ("safe_conduct", _("Safe-conduct for asylum seekers (SC-2)")),
]
DATE_ERRORS = {
    "invalid": _("This date does not exist. Write it as year-month-day, e.g. 1990-05-31.")
}

# Which form fields answer each fact the evaluator can report as missing.
FACT_FIELDS = {
    "birth_date": ["birth_date"],
    "entry_date": ["entry_date"],
    "in_country_since": ["in_country_since"],
    "city_arrival_date": ["city_arrival_date"],
    "entry_mode": ["entry_mode"],
    "documents": ["documents", "documents_issued", "permit_expires"],
    "documents.issued": ["documents_issued"],
    "children": ["children_documents"],
    "children.documents": ["children_documents"],
    "criminal_record": ["criminal_record"],
    "asylum_claim": ["asylum_claim"],
    "has_job_offer": ["has_job_offer"],
}
# Plain-language names of missing facts, for "we need to know more".
FACT_LABELS = {
    "nationalities": _("your nationality"),
    "birth_date": _("your date of birth"),
    "entry_date": _("when you entered the country"),
    "in_country_since": _("since when you live in the country"),
    "city_arrival_date": _("when you arrived in the city"),
    "entry_mode": _("how you entered the country"),
    "documents": _("which documents you hold"),
    "documents.issued": _("when your documents were issued"),
    "children": _("documents held by your children"),
    "children.documents": _("documents held by your children"),
    "children.documents.issued": _("when your children's documents were issued"),
    "criminal_record": _("whether you have a criminal record"),
    "asylum_claim": _("whether you have asked for asylum"),
    "has_job_offer": _("whether you have a job offer"),
}
FIRST_STEP_FIELDS = ["country", "nationality", "nationality_2"]


def _country_choices(codes):
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


class QuestionnaireForm(StyledFormMixin, forms.Form):
    """Every answer of the questionnaire; all optional except the host country and nationality."""

    country = forms.ChoiceField(label=_("Country where you are"))
    nationality = forms.ChoiceField(label=_("Your nationality"))
    nationality_2 = forms.ChoiceField(
        label=_("Second nationality (if you have one)"), required=False
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DateInput, error_messages=DATE_ERRORS
    )
    entry_date = forms.DateField(
        label=_("When did you enter the country?"),
        help_text=_("The date of your last entry. An approximate date is fine."),
        required=False,
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )
    in_country_since = forms.DateField(
        label=_("Since when do you live in the country?"),
        required=False,
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )
    city_arrival_date = forms.DateField(
        label=_("When did you arrive in this city?"),
        required=False,
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )
    entry_mode = forms.ChoiceField(
        label=_("How did you enter the country?"),
        help_text=_("Regular: through an official border crossing, with your entry stamped."),
        choices=[
            ("regular", _("Through an official border crossing (stamped)")),
            ("irregular", _("Without going through migration control")),
            ("unknown", _("I don't know")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    documents = forms.MultipleChoiceField(
        label=_("Which of these documents do you have or have had?"),
        help_text=_("Mark all that apply, even if they have expired. Mark none if you have none."),
        choices=DOCUMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    documents_issued = forms.DateField(
        label=_("When was your most recent permit or visa issued?"),
        required=False,
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )
    permit_expires = forms.DateField(
        label=_("When does your current permit or visa expire?"),
        help_text=_("Leave it empty if you have none. We use it to show renewal deadlines."),
        required=False,
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )
    children_documents = forms.MultipleChoiceField(
        label=_("Does a child in your care hold any of these documents?"),
        help_text=_("Mark none if you have no children in your care or they hold none."),
        choices=DOCUMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    criminal_record = forms.ChoiceField(
        label=_("Do you have a criminal record in any country?"),
        choices=TRI_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    asylum_claim = forms.ChoiceField(
        label=_("Have you asked for asylum (refugee status) in this country?"),
        choices=TRI_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    has_job_offer = forms.ChoiceField(
        label=_("Do you have a job offer in this country?"),
        choices=TRI_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, host_countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices(host_countries)
        everyone = [(code, name) for code, name in countries]
        self.fields["nationality"].choices = [("", "—")] + everyone
        self.fields["nationality_2"].choices = [("", "—")] + everyone

    def _not_future(self, name, message):
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(message)
        return value

    def clean_birth_date(self):
        value = self._not_future("birth_date", _("The date of birth cannot be in the future."))
        if value and value < datetime.date(1900, 1, 1):
            raise forms.ValidationError(_("Check the year of the date of birth."))
        return value

    def clean_entry_date(self):
        return self._not_future("entry_date", _("The entry date cannot be in the future."))

    def clean_in_country_since(self):
        return self._not_future("in_country_since", _("This date cannot be in the future."))

    def clean_city_arrival_date(self):
        return self._not_future("city_arrival_date", _("This date cannot be in the future."))

    def clean_documents_issued(self):
        return self._not_future("documents_issued", _("This date cannot be in the future."))

    def profile(self, asked: set[str]) -> dict:
        """The evaluator's profile: only facts the person was asked about (and valid)."""
        data = self.cleaned_data
        profile = {
            "nationalities": [n for n in (data.get("nationality"), data.get("nationality_2")) if n]
        }
        for name in ("birth_date", "entry_date", "in_country_since", "city_arrival_date"):
            if data.get(name):
                profile[name] = data[name].isoformat()
        if data.get("entry_mode"):
            profile["entry_mode"] = data["entry_mode"]
        for name in ("criminal_record", "asylum_claim", "has_job_offer"):
            if data.get(name):
                profile[name] = TRI_VALUES[data[name]]
        if "documents" in asked:
            issued = data.get("documents_issued")
            profile["documents"] = [
                {"type": kind, **({"issued": issued.isoformat()} if issued else {})}
                for kind in data.get("documents") or []
            ]
        if data.get("permit_expires"):
            profile["current_residence_permit"] = {"expires": data["permit_expires"].isoformat()}
        if "children_documents" in asked:
            kinds = data.get("children_documents") or []
            profile["children"] = (
                [{"documents": [{"type": kind} for kind in kinds]}] if kinds else []
            )
        return profile
