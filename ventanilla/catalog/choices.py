from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    REGULARIZATION = "regularization", _("Regularization and documentation")
    LEGAL_AID = "legal_aid", _("Legal aid")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    EMPLOYMENT = "employment", _("Employment and job intermediation")
    TRAINING = "training", _("Training and skills certification")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship and business permits")
    FINANCIAL_INCLUSION = "financial_inclusion", _("Financial inclusion")
    HOUSING = "housing", _("Housing and shelter")
    FOOD = "food", _("Food")
    PROTECTION_GBV = "protection_gbv", _("Protection: gender-based violence")
    PROTECTION_CHILD = "protection_child", _("Protection: children and adolescents")
    PROTECTION_TRAFFICKING = "protection_trafficking", _("Protection: human trafficking")
    LANGUAGE_CULTURE = "language_culture", _("Language and culture")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    HUMANITARIAN_TRANSPORT = "humanitarian_transport", _("Humanitarian transport")
