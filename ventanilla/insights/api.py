"""The center's figures API (/api/v1/figures/): the dashboard's numbers, always suppressed.

The same code path as the CSV download (tables.build_dashboard(exact=False) and
tables.export_entries), whoever asks: the answer may leave the center. Every call is audited.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from ventanilla.accounts.permissions import Cap
from ventanilla.core.api_permissions import cap_required
from ventanilla.core.audit import audit_record
from ventanilla.core.exceptions import InvalidInput
from ventanilla.insights import figures_core as fc
from ventanilla.insights import services, tables
from ventanilla.insights.forms import RangeForm

# The form's fields, as the API (and the page's query string) name them.
_PARAMETER_NAMES = {"start": "from", "end": "to"}
_REFERRAL_STATS = ("completion_rate", "median_days_accept", "median_days_complete")
MARKERS = ["<5", "x"]


class FiguresValueSerializer(serializers.Serializer):
    value = serializers.IntegerField(
        allow_null=True, help_text="The count; null when withheld (see `suppressed`)."
    )
    suppressed = serializers.ChoiceField(
        choices=MARKERS,
        allow_null=True,
        help_text='null when shown; "<5" for a count from 1 to 4, "x" for a count withheld '
        "because it would give a small one away.",
    )


class FiguresRowSerializer(FiguresValueSerializer):
    key = serializers.CharField(help_text="Code of the row (a UUID, a choice, or YYYY-MM).")
    label = serializers.CharField()


class FiguresHeadlineSerializer(FiguresValueSerializer):
    label = serializers.CharField()


class FiguresMeasureSerializer(serializers.Serializer):
    label = serializers.CharField()
    total = FiguresValueSerializer()
    breakdowns = serializers.DictField(
        child=FiguresRowSerializer(many=True),
        help_text="Dimension (month, point, locality, group, sex, age, status, provider, "
        'sex_age) → its rows. "month" is the monthly series; "sex_age" keys are "sex|age".',
    )


class FiguresStatSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    suppressed = serializers.ChoiceField(
        choices=MARKERS, allow_null=True, help_text='null when shown; "x" when withheld.'
    )


class FiguresReferralsSerializer(serializers.Serializer):
    completion_rate = FiguresStatSerializer(
        help_text="Completed ÷ (sent − cancelled), three decimals; null when nothing was sent."
    )
    median_days_accept = FiguresStatSerializer(help_text="Median days from sending to acceptance.")
    median_days_complete = FiguresStatSerializer(
        help_text="Median days from sending to completion."
    )


# "from" is a Python keyword: the fields are named as the query parameters.
FiguresPeriodSerializer = type(
    "FiguresPeriodSerializer",
    (serializers.Serializer,),
    {"from": serializers.DateField(), "to": serializers.DateField()},
)


@extend_schema_serializer(many=False)
class FiguresSerializer(serializers.Serializer):
    period = FiguresPeriodSerializer()
    as_of = serializers.DateTimeField(
        allow_null=True,
        help_text="When the stored figures were computed; null when computed for this call.",
    )
    stale = serializers.BooleanField(help_text="The stored figures are older than the maximum age.")
    headline = serializers.DictField(
        child=FiguresHeadlineSerializer(), help_text="Measure → its total."
    )
    measures = serializers.DictField(
        child=FiguresMeasureSerializer(), help_text="Measure → its tables."
    )
    referrals = FiguresReferralsSerializer()


def _value(entry: tables.Entry) -> dict:
    return {"value": entry.value, "suppressed": entry.marker or None}


def figures_payload(board: tables.Dashboard) -> dict:
    """The suppressed dashboard as the API shows it, from the CSV's entries."""
    result = board.figures
    measures = {
        m: {"label": str(label), "total": None, "breakdowns": {}}
        for m, label in tables.MEASURE_LABELS.items()
    }
    headline, referrals = {}, {}
    for entry in tables.export_entries(board):
        if entry.dimension in _REFERRAL_STATS:
            referrals[entry.dimension] = _value(entry)
        elif entry.dimension == fc.TOTAL:
            headline[entry.measure] = {"label": entry.label, **_value(entry)}
            measures[entry.measure]["total"] = _value(entry)
        else:
            rows = measures[entry.measure]["breakdowns"].setdefault(entry.dimension, [])
            rows.append({"key": entry.key, "label": entry.label, **_value(entry)})
    return {
        "period": {"from": result.start, "to": result.end},
        "as_of": result.as_of if result.precomputed else None,
        "stale": result.stale,
        "headline": headline,
        "measures": measures,
        "referrals": referrals,
    }


def _period(query_params):
    form = RangeForm({"from": query_params.get("from", ""), "to": query_params.get("to", "")})
    if not form.is_valid():
        fields = {
            _PARAMETER_NAMES.get(name, name): [str(e) for e in errors]
            for name, errors in form.errors.items()
        }
        raise InvalidInput(next(iter(fields.values()))[0], field_errors=fields)
    return form.cleaned_data["start"], form.cleaned_data["end"]


class FiguresViewSet(viewsets.ViewSet):
    """The center's figures for a range of local dates, suppressed as in the CSV download."""

    permission_classes = [cap_required(Cap.VIEW_AGGREGATES)]
    serializer_class = FiguresSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day (default: 1 January)"
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Last day (default: 31 December)"
            ),
        ],
        responses=FiguresSerializer,
        description="The dashboard's figures for a range of three years or less (default: "
        "this year). Counts from 1 to 4, and those that would give them away, are withheld "
        "for every caller. Each call is audited.",
    )
    def list(self, request):
        start, end = _period(request.query_params)
        result = services.figures_for_range(start=start, end=end)
        board = tables.build_dashboard(result, exact=False)
        data = FiguresSerializer(figures_payload(board)).data
        audit_record(
            actor=request.user,
            action="insights.figures.api_read",
            changes={"from": [None, start], "to": [None, end]},
        )
        return Response(data)
