"""The public questionnaire: one POSTed form holding every fact; each step shows a few of them."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
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
# The current permit's type, as the rules name it; "other" is not sent to the evaluator.
PERMIT_TYPE_CHOICES = [
    ("ppt", _("PPT (temporary protection permit)")),
    ("pep", _("PEP (special stay permit)")),
    ("visa", _("Visa")),
    ("residence_permit", _("Residence permit or foreigner ID card")),
    ("other", _("Another permit")),
]
DATE_ERRORS = {
    "invalid": _("This date does not exist. Write it as year-month-day, e.g. 1990-05-31.")
}


def document_date_fields(whose: str, kind: str) -> list[str]:
    """The issue and expiry date fields of one marked document type: `whose` is "" (the
    person's own documents) or "child_"."""
    return [f"{whose}issued_{kind}", f"{whose}expires_{kind}"]


def _all_document_date_fields(whose: str) -> list[str]:
    return [name for kind, _label in DOCUMENT_CHOICES for name in document_date_fields(whose, kind)]


# Which form fields answer each fact the evaluator can report as missing. The issue dates are
# asked only for the marked types a remaining pathway checks on a date (views.py picks them).
FACT_FIELDS = {
    "nationalities": ["nationality", "nationality_2"],
    "birth_date": ["birth_date"],
    "entry_date": ["entry_date"],
    "in_country_since": ["in_country_since"],
    "city_arrival_date": ["city_arrival_date"],
    "entry_mode": ["entry_mode"],
    "documents": ["documents", "permit_type", "permit_expires"],
    "documents.issued": _all_document_date_fields(""),
    "children": ["children_documents"],
    "children.documents": ["children_documents"],
    "children.documents.issued": _all_document_date_fields("child_"),
    "criminal_record": ["criminal_record"],
    "asylum_claim": ["asylum_claim"],
    "has_job_offer": ["has_job_offer"],
    # Grounds a legal adviser must check: no question can answer it, the results say where
    # to find free legal aid.
    "review": [],
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
    "asylum_claim": _(
        "whether you are afraid to go back to your country or have asked for protection (asylum)"
    ),
    "has_job_offer": _("whether you have a job offer"),
    "review": _("a check of your situation by a legal adviser (free legal aid in the city)"),
}
FIRST_STEP_FIELDS = ["country", "nationality", "nationality_2"]


def _country_choices(codes):
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


def _interpolate(message, **values):
    """`message % values`, translated when shown (labels are built at import time)."""
    return lazy(lambda: str(message) % {k: str(v) for k, v in values.items()}, str)()


def _document_date_form_fields() -> dict[str, forms.Field]:
    """An issue and an expiry date for each document type, the person's own and a child's."""
    labels = {
        "": (_("%(document)s: date of issue"), _("%(document)s: expiry date")),
        "child_": (
            _("Your child's %(document)s: date of issue"),
            _("Your child's %(document)s: expiry date"),
        ),
    }
    fields = {}
    for whose, (issued_label, expires_label) in labels.items():
        for kind, document in DOCUMENT_CHOICES:
            issued, expires = document_date_fields(whose, kind)
            fields[issued] = forms.DateField(
                label=_interpolate(issued_label, document=document),
                help_text=_("An approximate date is fine."),
                required=False,
                widget=DateInput,
                error_messages=DATE_ERRORS,
            )
            fields[expires] = forms.DateField(
                label=_interpolate(expires_label, document=document),
                help_text=_("Leave it empty if it has no expiry date or you don't know it."),
                required=False,
                widget=DateInput,
                error_messages=DATE_ERRORS,
            )
    return fields


# A form class so that Django collects these generated fields like declared ones.
DocumentDatesForm = type("DocumentDatesForm", (forms.Form,), _document_date_form_fields())


class QuestionnaireForm(StyledFormMixin, DocumentDatesForm):
    """Every answer of the questionnaire; all optional except the host country and nationality."""

    # The generated date fields follow the documents they date (for "Change my answers").
    field_order = [
        *FIRST_STEP_FIELDS,
        "birth_date",
        "entry_date",
        "in_country_since",
        "city_arrival_date",
        "entry_mode",
        "documents",
        *FACT_FIELDS["documents.issued"],
        "permit_type",
        "permit_expires",
        "children_documents",
        *FACT_FIELDS["children.documents.issued"],
    ]

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
    # The evaluator counts the expiry for renewal deadlines only when it knows which permit
    # it is (a tourist visa's expiry says nothing about renewing a residence).
    permit_type = forms.ChoiceField(
        label=_("Which permit or visa is it?"),
        choices=PERMIT_TYPE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
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
    # The rules' `asylum_claim` is asking, or wanting to ask, for protection: someone who
    # fears going back but has not applied yet must answer yes too.
    asylum_claim = forms.ChoiceField(
        label=_(
            "Are you afraid to go back to your country, or have you asked for protection "
            "(asylum) here?"
        ),
        help_text=_("Asking for asylum is a right, and it is free."),
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

    def clean(self):
        data = super().clean()
        for name in FACT_FIELDS["documents.issued"] + FACT_FIELDS["children.documents.issued"]:
            if "issued_" in name and data.get(name) and data[name] > timezone.localdate():
                self.add_error(name, _("This date cannot be in the future."))
        return data

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
            profile["documents"] = [
                self._document(kind, "") for kind in data.get("documents") or []
            ]
        if data.get("permit_expires"):
            permit = {"expires": data["permit_expires"].isoformat()}
            if data.get("permit_type") and data["permit_type"] != "other":
                permit = {"type": data["permit_type"], **permit}
            profile["current_residence_permit"] = permit
        if "children_documents" in asked:
            kinds = data.get("children_documents") or []
            # The children's documents together, as if one child held them: the rules ask
            # whether some child held a document, never which one.
            profile["children"] = (
                [{"documents": [self._document(kind, "child_") for kind in kinds]}] if kinds else []
            )
        return profile

    def _document(self, kind: str, whose: str) -> dict:
        """One marked document with the dates given for its type."""
        issued, expires = (
            self.cleaned_data.get(name) for name in document_date_fields(whose, kind)
        )
        document = {"type": kind}
        if issued:
            document["issued"] = issued.isoformat()
        if expires:
            document["expires"] = expires.isoformat()
        return document
