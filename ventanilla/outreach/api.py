"""Outreach API: sessions (list, read, plan), registered attendance, anonymous counts.

Same selectors, services and capabilities as the screens; no attendee names are returned.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ventanilla.accounts.models import Organization
from ventanilla.accounts.permissions import Cap
from ventanilla.core.api_permissions import any_cap_required, cap_required
from ventanilla.core.exceptions import InvalidInput
from ventanilla.outreach import selectors, services
from ventanilla.outreach.choices import AgeGroup, AttendeeSex, SessionKind, SessionStatus
from ventanilla.outreach.forms import SessionFilterForm
from ventanilla.privacy.services import access_record
from ventanilla.registry import selectors as registry_selectors
from ventanilla.registry.models import Person
from ventanilla.territory.models import AttentionPoint, Locality


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)


class AnonymousCountSerializer(serializers.Serializer):
    sex = serializers.ChoiceField(choices=AttendeeSex.choices)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    count = serializers.IntegerField(min_value=0, max_value=100_000)


class SessionSerializer(serializers.Serializer):
    """A session as the API shows it: details and attendance counts, never names."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    kind = serializers.ChoiceField(choices=SessionKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=SessionStatus.choices, read_only=True)
    attention_point = serializers.UUIDField(
        source="attention_point.uuid", read_only=True, allow_null=True, default=None
    )
    locality = serializers.UUIDField(source="locality.uuid", read_only=True)
    date = serializers.DateField(read_only=True)
    start_time = serializers.TimeField(read_only=True, allow_null=True)
    end_time = serializers.TimeField(read_only=True, allow_null=True)
    topic = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    organizations = OrganizationRefSerializer(many=True, read_only=True)
    cancel_reason = serializers.CharField(read_only=True)
    registered_attendees = serializers.SerializerMethodField()
    anonymous_counts = serializers.SerializerMethodField()
    version = serializers.DateTimeField(source="updated_at", read_only=True)

    def get_registered_attendees(self, session) -> int:
        value = getattr(session, "registered_total", None)
        return value if value is not None else session.attendances.count()

    @extend_schema_field(AnonymousCountSerializer(many=True))
    def get_anonymous_counts(self, session):
        return [
            {"sex": row.sex, "age_group": row.age_group, "count": row.count}
            for row in sorted(session.anonymous_counts.all(), key=lambda r: (r.sex, r.age_group))
        ]


class SessionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    attention_point = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=AttentionPoint.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    locality = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Locality.objects.all(), required=False, allow_null=True
    )
    date = serializers.DateField()
    start_time = serializers.TimeField(required=False, allow_null=True)
    end_time = serializers.TimeField(required=False, allow_null=True)
    topic = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    organizations = serializers.SlugRelatedField(
        slug_field="uuid",
        many=True,
        queryset=Organization.objects.filter(is_active=True),
        required=False,
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class AttendanceInputSerializer(serializers.Serializer):
    person = serializers.SlugRelatedField(slug_field="uuid", queryset=Person.objects.all())


class AttendanceSerializer(serializers.Serializer):
    session = serializers.UUIDField(source="session.uuid", read_only=True)
    person = serializers.UUIDField(source="person.uuid", read_only=True)
    visit = serializers.UUIDField(source="visit.uuid", read_only=True, allow_null=True)
    sex = serializers.ChoiceField(choices=AttendeeSex.choices, read_only=True)
    age_group = serializers.CharField(read_only=True)


class AnonymousCountsInputSerializer(serializers.Serializer):
    """The whole grid: cells left out are cleared."""

    counts = AnonymousCountSerializer(many=True)

    def validate_counts(self, value):
        keys = [(c["sex"], c["age_group"]) for c in value]
        if len(keys) != len(set(keys)):
            raise serializers.ValidationError(_("Give each sex and age group once."))
        return value


_FILTER_PARAMETERS = [
    OpenApiParameter("when", str, enum=["upcoming", "past"]),
    OpenApiParameter("locality", str, description="Locality id (UUID)"),
    OpenApiParameter("kind", str, enum=SessionKind.values),
]
VIEW_CAPS = (Cap.PLAN_OUTREACH, Cap.RECORD_OUTREACH, Cap.VIEW_PARTICIPATING_OUTREACH)


class SessionViewSet(viewsets.GenericViewSet):
    """Mobile-unit days and extramural workshops."""

    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    serializer_class = SessionSerializer

    def get_permissions(self):
        if self.action == "create":
            return [cap_required(Cap.PLAN_OUTREACH)()]
        if self.action == "attendance":
            return [cap_required(Cap.RECORD_OUTREACH, Cap.VIEW_PERSON)()]
        if self.action == "anonymous_counts":
            return [cap_required(Cap.RECORD_OUTREACH)()]
        return [any_cap_required(*VIEW_CAPS)()]

    def get_queryset(self):
        return selectors.sessions_visible_to(self.request.user)

    def _session(self, uuid):
        session = selectors.session_for_user(user=self.request.user, uuid=uuid)
        if session is None:
            raise Http404
        return session

    @extend_schema(parameters=_FILTER_PARAMETERS, responses=SessionSerializer(many=True))
    def list(self, request):
        form = SessionFilterForm(request.query_params)
        if not form.is_valid():
            fields = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            raise InvalidInput(next(iter(fields.values()))[0], field_errors=fields)
        found = selectors.session_list(user=request.user, **form.selector_kwargs())
        page = self.paginate_queryset(found.prefetch_related("anonymous_counts"))
        return self.get_paginated_response(SessionSerializer(page, many=True).data)

    def retrieve(self, request, uuid=None):
        return Response(SessionSerializer(self._session(uuid)).data)

    @extend_schema(request=SessionInputSerializer, responses={201: SessionSerializer})
    def create(self, request):
        serializer = SessionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_plan(actor=request.user, **serializer.validated_data)
        return Response(
            SessionSerializer(self._session(session.uuid)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=AttendanceInputSerializer, responses={201: AttendanceSerializer})
    @action(detail=True, methods=["post"])
    def attendance(self, request, uuid=None):
        """Record a registered person as attending (also a registry visit at the point)."""
        session = self._session(uuid)
        serializer = AttendanceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = serializer.validated_data["person"]
        if registry_selectors.person_for_detail(user=request.user, uuid=person.uuid) is None:
            raise Http404
        attendance = services.attendance_add_person(
            actor=request.user, session=session, person=person
        )
        access_record(
            actor=request.user,
            persons=[person],
            channel="api",
            view="api.outreach_sessions.attendance",
            path=request.get_full_path(),
        )
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnonymousCountsInputSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["put"], url_path="anonymous-counts")
    def anonymous_counts(self, request, uuid=None):
        """Replace the session's anonymous grid (sex × age group → people)."""
        session = self._session(uuid)
        serializer = AnonymousCountsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        counts = {
            (c["sex"], c["age_group"]): c["count"] for c in serializer.validated_data["counts"]
        }
        services.anonymous_counts_set(actor=request.user, session=session, counts=counts)
        return Response(SessionSerializer(self._session(uuid)).data)
