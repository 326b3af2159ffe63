from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ventanilla.catalog.choices import ServiceCategory
from ventanilla.core.models import BaseModel

MAX_AGE = 120
TRANSLATED_TEXTS = ("name", "description", "conditions", "schedule")


class Service(BaseModel):
    """A service an organization offers to migrants, published in the public catalog."""

    provider = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    category = models.CharField(_("category"), max_length=40, choices=ServiceCategory.choices)
    name_es = models.CharField(_("name (Spanish)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=160, blank=True)
    description_es = models.TextField(_("description (Spanish)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    description_pt = models.TextField(_("description (Portuguese)"), blank=True)
    # registry.choices.PopulationGroup values; empty means everyone.
    population_groups = models.JSONField(_("population groups"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    conditions_es = models.TextField(_("other conditions (Spanish)"), blank=True)
    conditions_en = models.TextField(_("other conditions (English)"), blank=True)
    conditions_pt = models.TextField(_("other conditions (Portuguese)"), blank=True)
    attention_points = models.ManyToManyField(
        "territory.AttentionPoint",
        verbose_name=_("attention points"),
        blank=True,
        related_name="services",
    )
    schedule_es = models.CharField(_("when (Spanish)"), max_length=300, blank=True)
    schedule_en = models.CharField(_("when (English)"), max_length=300, blank=True)
    schedule_pt = models.CharField(_("when (Portuguese)"), max_length=300, blank=True)
    # registry.choices.Language codes in which the service is delivered.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    weekly_capacity = models.PositiveIntegerField(
        _("weekly capacity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # A later referral feature computes due dates from it.
    response_time_days = models.PositiveSmallIntegerField(
        _("response time (days)"), default=5, validators=[MinValueValidator(1)]
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    # Folded names and descriptions in the three languages, maintained by the services.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["category", "name_es"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(condition=~Q(name_es=""), name="service_name_es_required"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="service_min_age_not_above_max_age",
                violation_error_message=_("The minimum age cannot be above the maximum age."),
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="service_active_to_not_before_active_from",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_capacity__isnull=True) | Q(weekly_capacity__gte=1),
                name="service_weekly_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(response_time_days__gte=1), name="service_response_time_positive"
            ),
        ]
        indexes = [models.Index(fields=["is_published", "active_from"])]

    def __str__(self) -> str:
        return self.name_es

    def translated(self, base: str, language: str | None = None) -> str:
        """The text in the given (or active) language, falling back to Spanish."""
        language = (language or translation.get_language() or "es")[:2]
        value = getattr(self, f"{base}_{language}", "") if language in ("en", "pt") else ""
        return value or getattr(self, f"{base}_es")

    @property
    def name(self) -> str:
        return self.translated("name")

    @property
    def description(self) -> str:
        return self.translated("description")

    @property
    def conditions(self) -> str:
        return self.translated("conditions")

    @property
    def schedule(self) -> str:
        return self.translated("schedule")

    def is_active_on(self, day) -> bool:
        return self.active_from <= day and (self.active_to is None or self.active_to >= day)

    def population_group_labels(self) -> list[str]:
        from ventanilla.registry.choices import PopulationGroup

        labels = dict(PopulationGroup.choices)
        return [str(labels.get(g, g)) for g in self.population_groups]

    def language_labels(self) -> list[str]:
        from ventanilla.registry.choices import Language

        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    def clean(self):
        from django.core.exceptions import ValidationError

        from ventanilla.registry.choices import Language, PopulationGroup

        errors = {}
        if not isinstance(self.population_groups, list) or not set(self.population_groups) <= set(
            PopulationGroup.values
        ):
            errors["population_groups"] = _("Choose population groups from the list.")
        if not isinstance(self.languages, list) or not set(self.languages) <= set(Language.values):
            errors["languages"] = _("Choose languages from the list.")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = _("The maximum age cannot be below the minimum age.")
        if self.active_from and self.active_to and self.active_to < self.active_from:
            errors["active_to"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)
