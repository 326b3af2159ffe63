from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ventanilla.core.models import BaseModel
from ventanilla.registry.choices import (
    ChildSeparation,
    DocumentType,
    EducationLevel,
    EthnicSelfRecognition,
    GenderIdentity,
    OrientationTopic,
    PopulationGroup,
    PregnancyStatus,
    Relationship,
    Sex,
    VisitReason,
    WgDifficulty,
)


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


class Person(BaseModel):
    """Someone the center serves: migrant, refugee, returnee or host-community member."""

    given_names = models.CharField(_("given names"), max_length=120)
    first_surname = models.CharField(_("first surname"), max_length=80)
    second_surname = models.CharField(_("second surname"), max_length=80, blank=True)
    preferred_name = models.CharField(_("social or preferred name"), max_length=120, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_estimated = models.BooleanField(
        _("date of birth estimated from an approximate age"), default=False
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    nationalities = CountryField(_("nationalities"), multiple=True, blank=True)
    is_stateless = models.BooleanField(_("stateless"), default=False)
    country_of_birth = CountryField(_("country of birth"), blank=True)
    population_group = models.CharField(
        _("population group"), max_length=20, choices=PopulationGroup.choices
    )
    population_group_since = models.DateField(_("in this group since"))
    arrival_country_date = models.DateField(_("arrival in the country"), null=True, blank=True)
    arrival_city_date = models.DateField(_("arrival in the city"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    locality = models.ForeignKey(
        "territory.Locality",
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    education_level = models.CharField(
        _("education level"), max_length=30, blank=True, choices=EducationLevel.choices
    )
    occupation = models.CharField(_("occupation"), max_length=160, blank=True)

    # Derived, maintained by the registry services.
    search_text = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=250, editable=False, default="", db_default="")
    last_visit_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_stateless=False) | Q(nationalities=""),
                name="person_stateless_has_no_nationality",
            ),
            models.CheckConstraint(
                condition=Q(arrival_city_date__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(arrival_city_date__gte=F("birth_date")),
                name="person_arrival_city_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(arrival_country_date__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(arrival_country_date__gte=F("birth_date")),
                name="person_arrival_country_after_birth",
            ),
        ]
        indexes = [models.Index(fields=["birth_date"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def surnames(self) -> str:
        return " ".join(p for p in (self.first_surname, self.second_surname) if p)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surnames}".strip()

    @property
    def display_name(self) -> str:
        """The name to call the person by: the social name when there is one."""
        return f"{self.preferred_name} {self.surnames}" if self.preferred_name else self.full_name

    def age(self, today: date | None = None) -> int | None:
        return age_on(self.birth_date, today or date.today())


class PopulationGroupPeriod(models.Model):
    """A period during which a person belonged to a population group (history)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="population_group_periods"
    )
    group = models.CharField(_("population group"), max_length=20, choices=PopulationGroup.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("population group period")
        verbose_name_plural = _("population group periods")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="population_group_one_current",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="population_group_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.start_date}–{self.end_date or ''}"


class DifferentialApproach(models.Model):
    """Sensitive attributes for the differential approach; read only by roles that need them.

    Kept apart from Person so that no query for a list or a partner ever touches them.
    Empty answers mean "not asked".
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="differential_approach"
    )
    gender_identity = models.CharField(
        _("gender identity"), max_length=20, blank=True, choices=GenderIdentity.choices
    )
    wg_seeing = models.PositiveSmallIntegerField(
        _("difficulty seeing, even if wearing glasses"),
        null=True,
        blank=True,
        choices=WgDifficulty.choices,
    )
    wg_hearing = models.PositiveSmallIntegerField(
        _("difficulty hearing, even if using a hearing aid"),
        null=True,
        blank=True,
        choices=WgDifficulty.choices,
    )
    wg_walking = models.PositiveSmallIntegerField(
        _("difficulty walking or climbing steps"),
        null=True,
        blank=True,
        choices=WgDifficulty.choices,
    )
    wg_remembering = models.PositiveSmallIntegerField(
        _("difficulty remembering or concentrating"),
        null=True,
        blank=True,
        choices=WgDifficulty.choices,
    )
    wg_self_care = models.PositiveSmallIntegerField(
        _("difficulty with self-care, such as washing all over or dressing"),
        null=True,
        blank=True,
        choices=WgDifficulty.choices,
    )
    wg_communicating = models.PositiveSmallIntegerField(
        _("difficulty communicating in the usual language"),
        null=True,
        blank=True,
        choices=WgDifficulty.choices,
    )
    ethnic_self_recognition = models.CharField(
        _("ethnic self-recognition"),
        max_length=20,
        blank=True,
        choices=EthnicSelfRecognition.choices,
    )
    lgbtiq = models.BooleanField(_("identifies as LGBTIQ+"), null=True, blank=True)
    pregnancy = models.CharField(
        _("pregnancy or breastfeeding"), max_length=20, blank=True, choices=PregnancyStatus.choices
    )
    single_head_of_household = models.BooleanField(
        _("single head of household"), null=True, blank=True
    )
    child_separation = models.CharField(
        _("unaccompanied or separated child"),
        max_length=20,
        blank=True,
        choices=ChildSeparation.choices,
    )
    survivor_of_trafficking = models.BooleanField(
        _("survivor of trafficking"), null=True, blank=True
    )
    survivor_of_armed_conflict = models.BooleanField(
        _("victim of the armed conflict"), null=True, blank=True
    )
    survivor_of_gbv = models.BooleanField(
        _("survivor of gender-based violence"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    WG_FIELDS = (
        "wg_seeing",
        "wg_hearing",
        "wg_walking",
        "wg_remembering",
        "wg_self_care",
        "wg_communicating",
    )

    class Meta:
        verbose_name = _("differential approach")
        verbose_name_plural = _("differential approach")

    def __str__(self) -> str:
        return f"differential approach of person {self.person_id}"

    @property
    def has_disability(self) -> bool | None:
        """Washington Group cut-off: at least one domain with a lot of difficulty or more."""
        answers = [getattr(self, f) for f in self.WG_FIELDS]
        if all(a is None for a in answers):
            return None
        return any(a is not None and a >= WgDifficulty.A_LOT for a in answers)


class IdentityDocument(BaseModel):
    """A typed identifier of a person. Expired documents still identify; no images are kept."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(
        _("document type"), max_length=30, choices=DocumentType.choices
    )
    number = models.CharField(_("number"), max_length=40)
    number_key = models.CharField(max_length=40, editable=False, db_index=True)
    issuing_country = CountryField(_("issuing country"))
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)

    class Meta:
        ordering = ["document_type", "number"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "number_key", "issuing_country"],
                name="document_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=F("issued_on")),
                name="document_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.number}"

    def is_expired(self, today: date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or date.today())


class Household(BaseModel):
    """A family nucleus; members may mix migrants and host-community members."""

    locality = models.ForeignKey(
        "territory.Locality",
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return str(self.uuid)[:8]


class Membership(models.Model):
    """A person's membership of a household, with its period; one current household each."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relationship = models.CharField(
        _("relationship to the head"), max_length=20, choices=Relationship.choices
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["household", "-end_date", "id"]
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="membership_one_current_household",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end_date__isnull=True, relationship="head"),
                name="membership_one_current_head",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.household_id} ({self.relationship})"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Visit(BaseModel):
    """An attention: a person or several members of a household served at an attention point."""

    persons = models.ManyToManyField(Person, through="VisitPerson", related_name="visits")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    attention_point = models.ForeignKey(
        "territory.AttentionPoint",
        verbose_name=_("attention point"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    occurred_at = models.DateTimeField(_("date and time"), db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attended by"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    reasons = models.JSONField(_("reasons"), default=list)
    orientation_topics = models.JSONField(_("orientation given"), default=list, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(VisitReason.choices)
        return [labels.get(code, code) for code in self.reasons]

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(OrientationTopic.choices)
        return [labels.get(code, code) for code in self.orientation_topics]


class VisitPerson(models.Model):
    """A person served in a visit: what "people served" counts."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="visit_persons")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visit_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="visit_person_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in visit {self.visit_id}"
