"""Staff forms: the interview facts asked when running the navigator inside a case."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ventanilla.core.forms import DateInput, StyledFormMixin

STAFF_TRI = [("", _("Not asked")), ("yes", _("Yes")), ("no", _("No"))]
TRI_TO_VALUE = {"yes": True, "no": False}
VALUE_TO_TRI = {True: "yes", False: "no"}
# Earlier dates are typing mistakes (and would not fit date arithmetic near year 1).
EARLIEST_DATE = datetime.date(1900, 1, 1)
# The current permit's type as the rule files name it (schema.PERMIT_TYPES).
PERMIT_TYPE_CHOICES = [
    ("", _("Not asked")),
    ("ppt", _("Temporary Protection Permit (PPT)")),
    ("pep", _("Special Stay Permit (PEP)")),
    ("visa", _("Visa")),
    ("residence_permit", _("Residence permit or foreigner ID card")),
]


def _not_before_1900(value):
    if value and value < EARLIEST_DATE:
        raise forms.ValidationError(_("Enter a date from 1900 onwards."))
    return value


class CheckRunForm(StyledFormMixin, forms.Form):
    """What the records do not hold; every field optional (missing facts are reported)."""

    country = forms.ChoiceField(label=_("Host country"))
    person = forms.ChoiceField(label=_("Person"))
    entry_date = forms.DateField(
        label=_("Date of the last entry into the country"),
        help_text=_("Taken from the arrival date on the person's record; correct it if needed."),
        required=False,
        widget=DateInput,
    )
    entry_mode = forms.ChoiceField(
        label=_("How the person entered the country"),
        choices=[
            ("", _("Not asked")),
            ("regular", _("Through an official border crossing (stamped)")),
            ("irregular", _("Without going through migration control")),
        ],
        required=False,
    )
    criminal_record = forms.ChoiceField(
        label=_("Criminal record in any country"), choices=STAFF_TRI, required=False
    )
    asylum_claim = forms.ChoiceField(
        label=_("Has asked for asylum in this country"), choices=STAFF_TRI, required=False
    )
    has_job_offer = forms.ChoiceField(
        label=_("Has a job offer in this country"), choices=STAFF_TRI, required=False
    )
    permit_type = forms.ChoiceField(
        label=_("Type of the current permit or visa"),
        help_text=_("Renewal and permanence deadlines apply only to the permit a pathway gives."),
        choices=PERMIT_TYPE_CHOICES,
        required=False,
    )
    permit_expires = forms.DateField(
        label=_("Expiry of the current permit or visa"),
        help_text=_("Used for renewal and permanence deadlines."),
        required=False,
        widget=DateInput,
    )

    def __init__(self, *args, host_countries, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = sorted(
            ((code, countries.name(code)) for code in host_countries), key=lambda c: c[1]
        )
        self.persons = {str(p.uuid): p for p in persons}
        self.fields["person"].choices = [(key, p.display_name) for key, p in self.persons.items()]
        if len(persons) == 1:
            self.fields["person"].widget = forms.HiddenInput()

    def clean_entry_date(self):
        value = _not_before_1900(self.cleaned_data.get("entry_date"))
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The entry date cannot be in the future."))
        return value

    def clean_permit_expires(self):
        return _not_before_1900(self.cleaned_data.get("permit_expires"))

    def chosen_person(self):
        return self.persons[self.cleaned_data["person"]]

    def answers(self) -> dict:
        data = self.cleaned_data
        answers = {
            "entry_date": data.get("entry_date"),
            "entry_mode": data.get("entry_mode") or None,
            "permit_type": data.get("permit_type") or None,
            "permit_expires": data.get("permit_expires"),
        }
        for name in ("criminal_record", "asylum_claim", "has_job_offer"):
            answers[name] = TRI_TO_VALUE.get(data.get(name))
        return answers


def initial_answers(*, records: dict, previous) -> dict:
    """Start from the records and, for what only the interview gives, the previous check."""
    facts = records.get("facts", {})
    permit = facts.get("current_residence_permit") or {}
    before = previous.answers if previous is not None else {}
    initial = {
        "entry_date": before.get("entry_date") or facts.get("entry_date"),
        "entry_mode": before.get("entry_mode", ""),
        "permit_type": before.get("permit_type") or permit.get("type") or "",
        "permit_expires": before.get("permit_expires") or permit.get("expires"),
    }
    for name in ("criminal_record", "asylum_claim", "has_job_offer"):
        value = before.get(name, facts.get(name))
        initial[name] = VALUE_TO_TRI.get(value, "")
    return initial
