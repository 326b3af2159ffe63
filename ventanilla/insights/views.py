import csv
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.core.audit import audit_record
from ventanilla.core.views import require_cap
from ventanilla.insights import figures_core as fc
from ventanilla.insights import selectors, services, tables
from ventanilla.insights.forms import PICKS, RangeForm
from ventanilla.privacy import services as privacy_services

PAGE_SIZE = 50


def sees_records(user) -> bool:
    """Exact numbers, links to the records and "Refresh now": roles that read the registry."""
    return has_cap(user, Cap.VIEW_AGGREGATES) and has_cap(user, Cap.VIEW_PERSON)


def _period(request):
    form = RangeForm(request.GET if request.GET else None)
    start, end = form.period()
    return form, start, end


@require_cap(Cap.VIEW_AGGREGATES)
def figures(request):
    form, start, end = _period(request)
    exact = sees_records(request.user)
    result = services.figures_for_range(start=start, end=end)
    board = tables.build_dashboard(result, exact=exact)
    chart = tables.chart_data(board)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "picks": PICKS,
        "board": board,
        "sections": [(m, label, board.tables[m]) for m, label in tables.MEASURE_LABELS.items()],
        "exact": exact,
        "can_refresh": exact and result.precomputed,
        "stale": result.stale,
        "as_of": timezone.localtime(result.as_of) if result.as_of else None,
        "export_url": tables.export_url(start, end),
        "chart_data": chart,
        "chart_json": _json_for_script(chart),
        "max_age": int(services.max_age().total_seconds() // 60),
        "today": timezone.localdate(),
    }
    return render(request, "insights/figures.html", context)


@require_cap(Cap.VIEW_AGGREGATES)
def export(request):
    """The figures as CSV: always suppressed, whoever downloads them; audited."""
    _form, start, end = _period(request)
    result = services.figures_for_range(start=start, end=end)
    board = tables.build_dashboard(result, exact=False)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"ventanilla-figures-{start:%Y%m%d}-{end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["from", start.isoformat(), "to", end.isoformat()])
    writer.writerows(tables.csv_rows(board))
    audit_record(
        actor=request.user,
        action="insights.figures.exported",
        changes={"from": [None, start], "to": [None, end]},
    )
    return response


@require_POST
@require_cap(Cap.VIEW_AGGREGATES, Cap.VIEW_PERSON)
def refresh(request):
    _form, start, end = _period(request)
    services.figures_refresh_now(actor=request.user, start=start, end=end)
    messages.success(request, _("The figures were recomputed from the records."))
    return redirect(_figures_url(start, end))


@require_cap(Cap.VIEW_AGGREGATES, Cap.VIEW_PERSON)
def records(request):
    """The records one number counts, a page at a time; the persons shown are logged."""
    _form, start, end = _period(request)
    measure = request.GET.get("measure", "")
    dimension = request.GET.get("dimension", fc.TOTAL)
    key = request.GET.get("key", "")
    try:
        found = selectors.records(
            user=request.user, measure=measure, dimension=dimension, key=key, start=start, end=end
        )
    except selectors.UnknownFigure as exc:
        raise Http404 from exc
    number = request.GET.get("page")
    anonymous_page = None
    if measure == fc.ATTENDANCE:
        registered, anonymous = found
        total = registered.count() + (anonymous.aggregate(n=Sum("count"))["n"] or 0)
        page = Paginator(registered, PAGE_SIZE).get_page(number)
        anonymous_page = Paginator(anonymous, PAGE_SIZE).get_page(number)
    elif measure == fc.SERVICES:
        total = found.aggregate(n=Sum("count"))["n"] or 0
        page = Paginator(found.prefetch_related("persons"), PAGE_SIZE).get_page(number)
    else:
        total = found.count()
        if measure == fc.VISITS:
            found = found.prefetch_related("persons")
        page = Paginator(found, PAGE_SIZE).get_page(number)
    shown = _persons_shown(measure, page)
    if shown:
        privacy_services.access_record(
            actor=request.user,
            persons=shown,
            channel="ui",
            view="insights.records",
            path=request.get_full_path(),
        )
    labels = tables.Labels()
    context = {
        "measure": measure,
        "measure_label": tables.MEASURE_LABELS[measure],
        "dimension_label": tables.DIMENSION_LABELS[dimension],
        "key_label": labels.label(dimension, key) if dimension != fc.TOTAL else "",
        "start": start,
        "end": end,
        "total": total,
        "page": page,
        "anonymous_page": anonymous_page,
        "query": _query_without_page(request),
        "back": _figures_url(start, end),
    }
    return render(request, "insights/records.html", context)


# As django.utils.html.json_script escapes, so the JSON cannot close its <script> element;
# written by hand because the tag needs the CSP nonce, which json_script cannot add.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _json_for_script(data) -> str:
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES))


def _persons_shown(measure: str, page) -> list:
    rows = list(page.object_list)
    if measure == fc.PEOPLE:
        return rows
    if measure in (fc.REFERRALS, fc.ATTENDANCE):
        return [r.person for r in rows]
    if measure in (fc.VISITS, fc.SERVICES):
        return [p for r in rows for p in r.persons.all()]
    return []


def _figures_url(start, end) -> str:
    return f"{reverse('insights:figures')}?{urlencode({'from': start, 'to': end})}"


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
