from django.shortcuts import render

from ventanilla.accounts.permissions import Cap
from ventanilla.core.views import require_cap
from ventanilla.insights import selectors
from ventanilla.registry.choices import PopulationGroup


@require_cap(Cap.VIEW_AGGREGATES)
def figures(request):
    overview = selectors.registry_overview()
    labels = dict(PopulationGroup.choices)
    overview["by_group"] = [(labels.get(k, k), n) for k, n in overview["by_group"]]
    return render(request, "insights/figures.html", {"o": overview})
