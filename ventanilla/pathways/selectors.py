"""Reads for the public questionnaire: the rule files (loaded once) and the host country."""

import functools

from django.conf import settings
from django.utils.translation import get_language

from ventanilla.pathways import evaluator
from ventanilla.pathways.rules import load_rules
from ventanilla.territory.selectors import current_city

FALLBACK_COUNTRY = "CO"


@functools.cache
def pathway_rules() -> tuple[dict, ...]:
    """Every rule file, read and validated once per process (they change with a deploy)."""
    return tuple(load_rules())


def rules_by_id() -> dict[str, dict]:
    return {rule["id"]: rule for rule in pathway_rules()}


def host_countries() -> list[str]:
    return sorted({rule["country"] for rule in pathway_rules()})


def default_country() -> str:
    city = current_city()
    code = str(city.country) if city and city.country else ""
    return code if code in host_countries() else FALLBACK_COUNTRY


def rule_language() -> str:
    """The rule files' language for the active one: pt-br → pt; anything unknown → es."""
    code = (get_language() or "es").split("-")[0]
    return code if code in evaluator.LANGUAGES else "es"


def stale_after_days() -> int:
    """Rules reviewed longer ago than this are flagged (VENTANILLA_PATHWAYS_STALE_DAYS)."""
    return settings.VENTANILLA_PATHWAYS_STALE_DAYS
