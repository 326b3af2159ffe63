from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.insights import figures_core as fc

# A live range longer than this would scan too much at once.
MAX_DAYS = 3 * 366

PICKS = [
    ("this_month", _("This month")),
    ("last_month", _("Last month")),
    ("this_year", _("This year")),
    ("last_year", _("Last year")),
]


class RangeForm(forms.Form):
    """The date range of the figures: two local dates, or a quick pick."""

    pick = forms.ChoiceField(label=_("Period"), choices=PICKS, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {
                "pick": data.get("pick", ""),
                "start": data.get("from", ""),
                "end": data.get("to", ""),
            }
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        picks = fc.quick_ranges(timezone.localdate())
        if data.get("pick") in picks:
            data["start"], data["end"] = picks[data["pick"]]
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and end is None:
            data["start"], data["end"] = picks["this_year"]
            return data
        start = start or date(end.year, 1, 1)
        end = end or date(start.year, 12, 31)
        if end < start:
            raise forms.ValidationError(_("The end of the period must be after its start."))
        if end - start > timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("Choose a period of three years or less."))
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[date, date]:
        """The valid range, or this year when the input is not valid."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return fc.quick_ranges(timezone.localdate())["this_year"]
