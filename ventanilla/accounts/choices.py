from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    CITY_DEPARTMENT = "city_department", _("City department")
    NATIONAL_AGENCY = "national_agency", _("National agency")
    INTERNATIONAL_COOPERATION = "international_cooperation", _("International cooperation agency")
    NGO = "ngo", _("NGO")
    LEGAL_CLINIC = "legal_clinic", _("Legal clinic")
    TRAINING_INSTITUTE = "training_institute", _("Training institute")
    EMPLOYER = "employer", _("Employer")
    OTHER_CITY = "other_city", _("Other city")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    INTAKE = "intake", _("Intake worker (orientador)")
    CASE_WORKER = "case_worker", _("Case worker")
    SPECIALIST_LEGAL = "specialist_legal", _("Legal specialist")
    SPECIALIST_PSYCHOSOCIAL = "specialist_psychosocial", _("Psychosocial specialist")
    SPECIALIST_EMPLOYMENT = "specialist_employment", _("Employment specialist")
    PARTNER = "partner", _("Partner staff")
    ANALYST = "analyst", _("Analyst")
