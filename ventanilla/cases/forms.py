from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ventanilla.cases import questionnaire as qn
from ventanilla.cases.choices import NeedArea, NoteConfidentiality, PlanItemKind, Priority
from ventanilla.core.forms import DateInput, StyledFormMixin

_YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


def _language() -> str:
    return (get_language() or "es")[:2]


class AssessmentForm(StyledFormMixin, forms.Form):
    """One field per question of a questionnaire definition (built from the data)."""

    version = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, definition: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        language = _language()
        self.sections = []
        for section in definition.get("sections", ()):
            names = []
            for question in section.get("questions", ()):
                self.fields[question["id"]] = self._field(question, language)
                names.append(question["id"])
            self.sections.append((qn.label(section, language), names))
        # The mixin styled the fields that existed before; style the questions too.
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def grouped(self):
        """[(section label, [bound fields])] for the template."""
        return [(label, [self[name] for name in names]) for label, names in self.sections]

    @staticmethod
    def _field(question: dict, language: str):
        label = qn.label(question, language)
        required = bool(question.get("required"))
        kind = question["type"]
        options = [(o["value"], qn.label(o, language)) for o in question.get("options", ())]
        if kind == "choice":
            return forms.ChoiceField(label=label, required=required, choices=[("", "—"), *options])
        if kind == "multi":
            return forms.MultipleChoiceField(
                label=label,
                required=required,
                choices=options,
                widget=forms.CheckboxSelectMultiple,
            )
        if kind == "boolean":
            return forms.ChoiceField(label=label, required=required, choices=_YES_NO)
        if kind == "number":
            return forms.IntegerField(
                label=label,
                required=required,
                min_value=question.get("min"),
                max_value=question.get("max"),
            )
        if kind == "date":
            return forms.DateField(label=label, required=required, widget=DateInput)
        return forms.CharField(
            label=label,
            required=required,
            max_length=qn.TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def answers(self) -> dict:
        """The cleaned answers as the questionnaire stores them (JSON values)."""
        out = {}
        for _section, question in qn.questions(self.definition):
            value = self.cleaned_data.get(question["id"])
            if question["type"] == "boolean":
                value = {"yes": True, "no": False}.get(value)
            elif question["type"] == "date" and value:
                value = value.isoformat()
            if not qn.is_blank(value):
                out[question["id"]] = value
        return out

    @staticmethod
    def initial_from(answers: dict, definition: dict) -> dict:
        initial = {}
        for _section, question in qn.questions(definition):
            if question["id"] not in answers:
                continue
            value = answers[question["id"]]
            if question["type"] == "boolean":
                value = "yes" if value else "no"
            initial[question["id"]] = value
        return initial


def answers_for_display(definition: dict, answers: dict) -> list[tuple[str, list]]:
    """[(section label, [(question label, answer text)])] in the reader's language."""
    language = _language()
    yes, no = str(_("Yes")), str(_("No"))
    out = []
    for section in definition.get("sections", ()):
        rows = []
        for question in section.get("questions", ()):
            if question["id"] not in answers:
                continue
            value = answers[question["id"]]
            labels = {o["value"]: qn.label(o, language) for o in question.get("options", ())}
            if question["type"] == "boolean":
                text = yes if value else no
            elif question["type"] == "choice":
                text = labels.get(value, value)
            elif question["type"] == "multi":
                text = ", ".join(labels.get(v, v) for v in value)
            else:
                text = str(value)
            rows.append((qn.label(question, language), text))
        if rows:
            out.append((qn.label(section, language), rows))
    return out


class TransitionForm(forms.Form):
    to = forms.CharField(max_length=20)
    version = forms.DateTimeField(required=False)
    reason = forms.CharField(required=False, max_length=2000)
    open_referrals_reason = forms.CharField(required=False, max_length=2000)


class ClosureRequestForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    open_referrals_reason = forms.CharField(
        label=_("Referrals still open: why close anyway?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.DateTimeField(widget=forms.HiddenInput, required=False)


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.DateTimeField(widget=forms.HiddenInput, required=False)


class AssignForm(StyledFormMixin, forms.Form):
    assigned_to = forms.ChoiceField(label=_("Case worker"), required=False)
    version = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {str(u.uuid): u for u in workers}
        self.fields["assigned_to"].choices = [("", _("Nobody"))] + [
            (key, u.get_full_name() or u.username) for key, u in self.workers.items()
        ]

    def user(self):
        return self.workers.get(self.cleaned_data["assigned_to"])


class PlanItemForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanItemKind.choices)
    area = forms.ChoiceField(
        label=_("Area"), choices=[("", "—"), *NeedArea.choices], required=False
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial="medium")
    description = forms.CharField(
        label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    confidentiality = forms.ChoiceField(
        label=_("Who may read it"), choices=NoteConfidentiality.choices, initial="team"
    )


class TaskForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput)
    owner = forms.ChoiceField(label=_("Owner"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(u.uuid): u for u in members}
        self.fields["owner"].choices = [
            (key, u.get_full_name() or u.username) for key, u in self.members.items()
        ]

    def owner_user(self):
        return self.members[self.cleaned_data["owner"]]


class ReferralSendForm(StyledFormMixin, forms.Form):
    """Refer persons of the case for a need: to a catalog service or an outside provider."""

    need = forms.ChoiceField(label=_("Need"))
    service = forms.ChoiceField(label=_("Service (catalog)"), required=False)
    external_provider = forms.CharField(
        label=_("Or an external provider (not using Ventanilla)"), max_length=200, required=False
    )
    external_contact = forms.CharField(
        label=_("External provider contact"), max_length=200, required=False
    )
    persons = forms.MultipleChoiceField(
        label=_("Persons to refer"), widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("Summary for the receiving organization"),
        help_text=_("Only what they need to know, within what the person consented to share."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    override_reason = forms.CharField(
        label=_("Reason to send without consent (coordinators)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, needs, services, persons, can_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [
            (str(n.uuid), f"{n.get_area_display()}: {n.description[:60]}") for n in needs
        ]
        self.fields["service"].choices = [("", "—")] + [
            (str(s.uuid), f"{s.name} ({s.provider.name})") for s in services
        ]
        self.fields["persons"].choices = [(str(p.uuid), p.full_name) for p in persons]
        if not can_override:
            del self.fields["override_reason"]


class ReferralActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (a, a)
            for a in ("accept", "reject", "start", "complete", "did_not_attend", "cancel", "note")
        ]
    )
    version = forms.DateTimeField(required=False)
    text = forms.CharField(required=False, max_length=4000)
