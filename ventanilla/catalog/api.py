"""Service catalog API: public reads (published, active) and writes for catalog managers.

Same filters, selectors, services and object rules as the screens.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ventanilla.accounts.models import Organization
from ventanilla.accounts.permissions import Cap
from ventanilla.catalog import selectors, services
from ventanilla.catalog.choices import ServiceCategory
from ventanilla.catalog.filters import ServiceFilterForm
from ventanilla.catalog.models import Service
from ventanilla.core.api_permissions import any_cap_required
from ventanilla.core.exceptions import InvalidInput
from ventanilla.registry.choices import Language, PopulationGroup
from ventanilla.territory.models import AttentionPoint

_TEXTS = [
    f"{base}_{lang}"
    for base in ("name", "description", "conditions", "schedule")
    for lang in ("es", "en", "pt")
]


class ProviderSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)


class PlaceSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    locality = serializers.CharField(source="locality.name", read_only=True)
    locality_id = serializers.UUIDField(source="locality.uuid", read_only=True)


class ServiceSerializer(serializers.ModelSerializer):
    """A service as the API shows it, with its texts in the three languages."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    provider = ProviderSerializer(read_only=True)
    attention_points = PlaceSerializer(many=True, read_only=True)
    population_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=PopulationGroup.choices), read_only=True
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), read_only=True
    )
    version = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "provider",
            "category",
            *_TEXTS,
            "population_groups",
            "min_age",
            "max_age",
            "attention_points",
            "languages",
            "weekly_capacity",
            "response_time_days",
            "contact_name",
            "contact_phone",
            "contact_email",
            "active_from",
            "active_to",
            "is_published",
            "version",
        ]


class ServiceInputSerializer(serializers.Serializer):
    """Input fields of a service (create; update takes any subset plus `version`)."""

    provider = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Organization.objects.filter(is_active=True)
    )
    category = serializers.ChoiceField(choices=ServiceCategory.choices)
    name_es = serializers.CharField(max_length=160)
    name_en = serializers.CharField(max_length=160, required=False, allow_blank=True)
    name_pt = serializers.CharField(max_length=160, required=False, allow_blank=True)
    description_es = serializers.CharField()
    description_en = serializers.CharField(required=False, allow_blank=True)
    description_pt = serializers.CharField(required=False, allow_blank=True)
    population_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=PopulationGroup.choices), required=False
    )
    min_age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    max_age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    conditions_es = serializers.CharField(required=False, allow_blank=True)
    conditions_en = serializers.CharField(required=False, allow_blank=True)
    conditions_pt = serializers.CharField(required=False, allow_blank=True)
    attention_points = serializers.SlugRelatedField(
        slug_field="uuid",
        many=True,
        queryset=AttentionPoint.objects.filter(is_active=True),
        required=False,
    )
    schedule_es = serializers.CharField(max_length=300, required=False, allow_blank=True)
    schedule_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    schedule_pt = serializers.CharField(max_length=300, required=False, allow_blank=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False
    )
    weekly_capacity = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    response_time_days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    contact_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    active_from = serializers.DateField()
    active_to = serializers.DateField(required=False, allow_null=True)
    is_published = serializers.BooleanField(required=False)


class ServiceUpdateSerializer(ServiceInputSerializer):
    version = serializers.DateTimeField(
        required=False, help_text="The `version` you read; a stale version gives 409."
    )


_FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Search text (names and descriptions)"),
    OpenApiParameter("category", str, enum=ServiceCategory.values),
    OpenApiParameter("locality", str, description="Locality id (UUID)"),
    OpenApiParameter("language", str, enum=Language.values, description="Delivery language"),
]


class ServiceViewSet(viewsets.GenericViewSet):
    """The service catalog. Anyone reads published, active services; managers write."""

    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    serializer_class = ServiceSerializer

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [any_cap_required(Cap.MANAGE_CATALOG, Cap.MANAGE_OWN_SERVICES)()]

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            return selectors.services_active(today=timezone.localdate())
        return selectors.services_manageable_by(self.request.user)

    def _reload(self, service):
        return selectors.services_manageable_by(self.request.user).get(pk=service.pk)

    @extend_schema(parameters=_FILTER_PARAMETERS, responses=ServiceSerializer(many=True))
    def list(self, request):
        form = ServiceFilterForm(request.query_params)
        if not form.is_valid():
            fields = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            raise InvalidInput(next(iter(fields.values()))[0], field_errors=fields)
        found = selectors.services_public(**form.selector_kwargs(), today=timezone.localdate())
        page = self.paginate_queryset(found)
        return self.get_paginated_response(ServiceSerializer(page, many=True).data)

    def retrieve(self, request, uuid=None):
        service = selectors.service_public_detail(uuid=uuid, today=timezone.localdate())
        if service is None:
            from django.http import Http404

            raise Http404
        return Response(ServiceSerializer(service).data)

    @extend_schema(request=ServiceInputSerializer, responses={201: ServiceSerializer})
    def create(self, request):
        serializer = ServiceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = services.service_create(actor=request.user, **serializer.validated_data)
        return Response(
            ServiceSerializer(self._reload(service)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ServiceUpdateSerializer, responses=ServiceSerializer)
    def partial_update(self, request, uuid=None):
        service = get_object_or_404(self.get_queryset(), uuid=uuid)
        serializer = ServiceUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        service = services.service_update(
            actor=request.user, service=service, expected_version=version, **data
        )
        return Response(ServiceSerializer(self._reload(service)).data)
