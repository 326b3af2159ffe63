from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANS_WOMAN = "trans_woman", _("Trans woman")
    TRANS_MAN = "trans_man", _("Trans man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Other identity")
    NOT_SAID = "not_said", _("Prefers not to say")


class PopulationGroup(models.TextChoices):
    SETTLED = "settled", _("Refugee or migrant settled in the city")
    IN_TRANSIT = "in_transit", _("In transit")
    PENDULAR = "pendular", _("Pendular")
    RETURNEE = "returnee", _("Returnee national")
    HOST_COMMUNITY = "host_community", _("Host community")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    STATELESS = "stateless", _("Stateless")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No formal education")
    PRIMARY_INCOMPLETE = "primary_incomplete", _("Primary, incomplete")
    PRIMARY = "primary", _("Primary")
    SECONDARY_INCOMPLETE = "secondary_incomplete", _("Secondary, incomplete")
    SECONDARY = "secondary", _("Secondary")
    TECHNICAL = "technical", _("Technical or technological")
    UNIVERSITY = "university", _("University")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class Language(models.TextChoices):
    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")
    PORTUGUESE = "pt", _("Portuguese")
    FRENCH = "fr", _("French")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    WAYUUNAIKI = "guc", _("Wayuunaiki")
    QUECHUA = "qu", _("Quechua")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    OTHER = "other", _("Other language")


class WgDifficulty(models.IntegerChoices):
    """Washington Group short set answer scale."""

    NO_DIFFICULTY = 1, _("No difficulty")
    SOME = 2, _("Some difficulty")
    A_LOT = 3, _("A lot of difficulty")
    CANNOT = 4, _("Cannot do at all")


class EthnicSelfRecognition(models.TextChoices):
    INDIGENOUS = "indigenous", _("Indigenous")
    AFRO_DESCENDANT = "afro_descendant", _("Afro-descendant, Black or mulatto")
    RAIZAL = "raizal", _("Raizal")
    PALENQUERO = "palenquero", _("Palenquero")
    RROM = "rrom", _("Rrom (Gypsy)")
    NONE = "none", _("None")
    NO_ANSWER = "no_answer", _("Does not answer")


class PregnancyStatus(models.TextChoices):
    PREGNANT = "pregnant", _("Pregnant")
    BREASTFEEDING = "breastfeeding", _("Breastfeeding")
    NEITHER = "neither", _("Neither")


class ChildSeparation(models.TextChoices):
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied child")
    SEPARATED = "separated", _("Separated child")
    NO = "no", _("No")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    VE_CEDULA = "ve_cedula", _("Venezuelan cédula")
    PPT = "ppt", _("Temporary Protection Permit (PPT)")
    PEP = "pep", _("Special Stay Permit (PEP)")
    SAFE_CONDUCT = "safe_conduct", _("Asylum safe-conduct")
    NATIONAL_ID = "national_id", _("National ID")
    FOREIGNER_ID = "foreigner_id", _("Foreigner ID card")
    VISA = "visa", _("Visa")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    LOCAL_ID = "local_id", _("Local ID")
    OTHER = "other", _("Other document")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Son or daughter")
    STEPCHILD = "stepchild", _("Stepson or stepdaughter")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Father or mother")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NON_RELATIVE = "non_relative", _("Not related")


class VisitReason(models.TextChoices):
    DOCUMENTATION = "documentation", _("Regularization and documentation")
    LEGAL = "legal", _("Legal advice")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    TRAINING = "training", _("Training and skills certification")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    HUMANITARIAN = "humanitarian", _("Humanitarian assistance")
    HOUSING = "housing", _("Housing and shelter")
    PROTECTION = "protection", _("Protection")
    LOCAL_ID = "local_id", _("Local ID")
    INFORMATION = "information", _("Information")
    OTHER = "other", _("Other reason")


class OrientationTopic(models.TextChoices):
    REGULAR_PATHWAYS = "regular_pathways", _("Regular pathways and permits")
    HEALTH_AFFILIATION = "health_affiliation", _("Health system affiliation")
    SCHOOL_ENROLLMENT = "school_enrollment", _("School enrollment")
    JOB_SEARCH = "job_search", _("Job search and employment services")
    TRAINING_OFFER = "training_offer", _("Training offer")
    RIGHTS = "rights", _("Rights and duties")
    GBV_ROUTE = "gbv_route", _("Gender-based violence care route")
    CHILD_PROTECTION = "child_protection", _("Child protection route")
    LOCAL_ID = "local_id", _("Local ID")
    FINANCIAL_INCLUSION = "financial_inclusion", _("Financial inclusion")
    SERVICES_CATALOG = "services_catalog", _("Services available in the city")
