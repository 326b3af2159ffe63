"""Registry API: persons (search, read, create, update), households, documents, visits, consent.

Same services, selectors, permissions and access log as the screens.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.core.api_permissions import ActionCaps
from ventanilla.core.exceptions import InvalidInput
from ventanilla.core.views import log_persons
from ventanilla.privacy import selectors as privacy_selectors
from ventanilla.privacy import services as privacy_services
from ventanilla.privacy.choices import ConsentPurpose
from ventanilla.privacy.models import Consent
from ventanilla.registry import selectors, services
from ventanilla.registry.choices import (
    DocumentType,
    EducationLevel,
    Language,
    OrientationTopic,
    PopulationGroup,
    Relationship,
    Sex,
    VisitReason,
)
from ventanilla.registry.forms import SearchForm
from ventanilla.registry.models import DifferentialApproach, Household, Person, Visit
from ventanilla.registry.services import DIFFERENTIAL_FIELDS
from ventanilla.territory.models import AttentionPoint, Locality

SEARCH_MAX_LENGTH = SearchForm.base_fields["q"].max_length


class DocumentSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    number = serializers.CharField(max_length=40)
    issuing_country = CountryField()
    issued_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    expired = serializers.SerializerMethodField()

    def get_expired(self, doc) -> bool:
        return doc.is_expired()


class DifferentialSerializer(serializers.ModelSerializer):
    has_disability = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = DifferentialApproach
        fields = [*DIFFERENTIAL_FIELDS, "has_disability"]


class PersonSerializer(serializers.ModelSerializer):
    """A person as the API shows it; differential approach only to roles that may see it."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    age = serializers.SerializerMethodField()
    nationalities = serializers.SerializerMethodField()
    country_of_birth = CountryField(allow_blank=True)
    locality = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    household = serializers.SerializerMethodField()
    differential = serializers.SerializerMethodField()
    version = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "given_names",
            "first_surname",
            "second_surname",
            "preferred_name",
            "birth_date",
            "birth_date_estimated",
            "age",
            "sex",
            "nationalities",
            "is_stateless",
            "country_of_birth",
            "population_group",
            "population_group_since",
            "arrival_country_date",
            "arrival_city_date",
            "phone",
            "email",
            "address",
            "locality",
            "languages",
            "education_level",
            "occupation",
            "documents",
            "household",
            "last_visit_at",
            "differential",
            "version",
        ]

    def get_age(self, person) -> int | None:
        return person.age()

    def get_nationalities(self, person) -> list[str]:
        return [country.code for country in person.nationalities]

    def get_household(self, person) -> str | None:
        membership = selectors.current_membership(person)
        return str(membership.household.uuid) if membership else None

    def get_differential(self, person) -> dict | None:
        user = self.context["request"].user
        record = selectors.differential_of(user=user, person=person)
        return DifferentialSerializer(record).data if record else None


class PersonListSerializer(serializers.ModelSerializer):
    """Just enough to tell people apart in a search result."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    age = serializers.SerializerMethodField()
    locality = serializers.CharField(source="locality.name", default=None)

    class Meta:
        model = Person
        fields = [
            "id",
            "given_names",
            "first_surname",
            "second_surname",
            "preferred_name",
            "birth_date",
            "age",
            "sex",
            "locality",
            "population_group",
            "last_visit_at",
        ]

    def get_age(self, person) -> int | None:
        return person.age()


class PersonFieldsSerializer(serializers.Serializer):
    """Input fields of a person (create and update)."""

    given_names = serializers.CharField(max_length=120)
    first_surname = serializers.CharField(max_length=80)
    second_surname = serializers.CharField(max_length=80, required=False, allow_blank=True)
    preferred_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    approximate_age = serializers.IntegerField(
        required=False, min_value=0, max_value=120, write_only=True
    )
    sex = serializers.ChoiceField(choices=Sex.choices)
    nationalities = serializers.ListField(child=CountryField(), required=False)
    is_stateless = serializers.BooleanField(required=False)
    country_of_birth = CountryField(required=False, allow_blank=True)
    arrival_country_date = serializers.DateField(required=False, allow_null=True)
    arrival_city_date = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=250, required=False, allow_blank=True)
    locality = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Locality.objects.all(), required=False, allow_null=True
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False
    )
    education_level = serializers.ChoiceField(
        choices=EducationLevel.choices, required=False, allow_blank=True
    )
    occupation = serializers.CharField(max_length=160, required=False, allow_blank=True)

    def validate(self, data):
        if "approximate_age" in data:
            age = data.pop("approximate_age")
            if not data.get("birth_date"):
                from django.utils import timezone

                data["birth_date"] = services.birth_date_from_age(age, timezone.localdate())
                data["birth_date_estimated"] = True
        elif data.get("birth_date"):
            data["birth_date_estimated"] = False
        elif not self.partial:
            raise serializers.ValidationError(
                {"birth_date": [_("Give the date of birth or an approximate age.")]}
            )
        return data


class NewPersonSerializer(PersonFieldsSerializer):
    population_group = serializers.ChoiceField(choices=PopulationGroup.choices)
    population_group_since = serializers.DateField(required=False)
    documents = DocumentSerializer(many=True, required=False)
    differential = DifferentialSerializer(required=False)
    consents = serializers.DictField(child=serializers.BooleanField(), required=False)

    def split(self) -> dict:
        data = dict(self.validated_data)
        return {
            "population_group": data.pop("population_group"),
            "population_group_since": data.pop("population_group_since", None),
            "documents": data.pop("documents", []),
            "differential": data.pop("differential", None),
            "consents": data.pop("consents", None),
            "fields": data,
        }


class PersonUpdateSerializer(PersonFieldsSerializer):
    version = serializers.DateTimeField(
        required=False, help_text="The `version` you read; a stale version gives 409."
    )
    differential = DifferentialSerializer(required=False)


class MemberSerializer(NewPersonSerializer):
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    person = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Person.objects.all(),
        required=False,
        help_text="An already registered person joining.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("relationship", "person"):
                field.required = False

    def validate(self, data):
        if data.get("person") is not None:
            return {"person": data["person"], "relationship": data["relationship"]}
        missing = {
            name: [_("This field is required.")]
            for name in ("given_names", "first_surname", "sex", "population_group")
            if not data.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        return super().validate(data)


class HouseholdSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    locality = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Locality.objects.all(), required=False, allow_null=True
    )
    address = serializers.CharField(max_length=250, required=False, allow_blank=True)
    consents = serializers.DictField(
        child=serializers.BooleanField(), required=False, write_only=True
    )
    members = MemberSerializer(many=True, write_only=True)
    current_members = serializers.SerializerMethodField()

    def get_current_members(self, household) -> list[dict]:
        return [
            {
                "person": str(m.person.uuid),
                "relationship": m.relationship,
                "name": m.person.full_name,
                "since": m.start_date,
            }
            for m in selectors.household_members(household)
        ]


class VisitSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    persons = serializers.SlugRelatedField(
        slug_field="uuid", many=True, queryset=Person.objects.all()
    )
    household = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Household.objects.all(), required=False, allow_null=True
    )
    attention_point = serializers.SlugRelatedField(
        slug_field="uuid", queryset=AttentionPoint.objects.filter(is_active=True)
    )
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=VisitReason.choices))
    orientation_topics = serializers.ListField(
        child=serializers.ChoiceField(choices=OrientationTopic.choices), required=False
    )
    staff = serializers.CharField(source="staff.username", read_only=True)
    occurred_at = serializers.DateTimeField(required=False)

    class Meta:
        model = Visit
        fields = [
            "id",
            "persons",
            "household",
            "attention_point",
            "occurred_at",
            "staff",
            "reasons",
            "orientation_topics",
            "note",
        ]


class ConsentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", default=None)

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "granted",
            "recorded_at",
            "recorded_by",
            "withdrawn_at",
            "withdrawal_reason",
        ]


class ConsentInputSerializer(serializers.Serializer):
    purposes = serializers.DictField(child=serializers.BooleanField())

    def validate_purposes(self, value):
        unknown = set(value) - set(ConsentPurpose.values)
        if unknown:
            raise serializers.ValidationError(
                _("Unknown consent purpose: %(p)s") % {"p": ", ".join(sorted(unknown))}
            )
        return value


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PersonViewSet(viewsets.GenericViewSet):
    """Persons of the registry. `?q=` searches names, documents and phones."""

    lookup_field = "uuid"
    permission_classes = [ActionCaps]
    action_caps = {
        "list": (Cap.VIEW_PERSON,),
        "retrieve": (Cap.VIEW_PERSON,),
        "create": (Cap.VIEW_PERSON, Cap.EDIT_PERSON),
        "partial_update": (Cap.VIEW_PERSON, Cap.EDIT_PERSON),
        "documents": (Cap.VIEW_PERSON,),
        "consents": (Cap.VIEW_PERSON,),
    }
    serializer_class = PersonSerializer

    def get_queryset(self):
        return (
            selectors.person_visible_to(self.request.user)
            .select_related("locality")
            .prefetch_related("documents")
        )

    def _person(self):
        return _get_by_uuid_or_404(self.get_queryset(), self.kwargs["uuid"])

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Search text")],
        responses=PersonListSerializer(many=True),
    )
    def list(self, request):
        query = request.query_params.get("q", "").strip()
        if not query:
            raise InvalidInput(
                _("Give a search text in ?q= (name, document or phone)."),
                field_errors={"q": [_("This field is required.")]},
            )
        if len(query) > SEARCH_MAX_LENGTH:
            # Same limit as the search screen; longer texts also break SQLite's LIKE.
            message = _("The search text is too long (at most %(n)s characters).") % {
                "n": SEARCH_MAX_LENGTH
            }
            raise InvalidInput(message, field_errors={"q": [message]})
        results, more = selectors.person_search(user=request.user, query=query)
        log_persons(request, results, "api.persons.search", channel="api")
        return Response(
            {
                "count": len(results),
                "more": more,
                "results": PersonListSerializer(results, many=True).data,
            }
        )

    def retrieve(self, request, uuid=None):
        person = self._person()
        log_persons(request, [person], "api.persons.retrieve", channel="api")
        return Response(PersonSerializer(person, context={"request": request}).data)

    @extend_schema(request=NewPersonSerializer, responses={201: PersonSerializer})
    def create(self, request):
        serializer = NewPersonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parts = serializer.split()
        if parts["differential"] and not has_cap(request.user, Cap.VIEW_SENSITIVE):
            parts["differential"] = None
        person = services.person_register(actor=request.user, **parts)
        person = self.get_queryset().get(pk=person.pk)
        return Response(
            PersonSerializer(person, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=PersonUpdateSerializer, responses=PersonSerializer)
    def partial_update(self, request, uuid=None):
        person = self._person()
        serializer = PersonUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        differential = data.pop("differential", None)
        if differential is not None and not has_cap(request.user, Cap.VIEW_SENSITIVE):
            raise InvalidInput(_("You may not change the differential approach."))
        services.person_update(
            actor=request.user,
            person=person,
            fields=data,
            expected_version=version,
            differential=differential,
        )
        person = self.get_queryset().get(pk=person.pk)
        log_persons(request, [person], "api.persons.update", channel="api")
        return Response(PersonSerializer(person, context={"request": request}).data)

    @extend_schema(methods=["GET"], responses=DocumentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=DocumentSerializer, responses={201: DocumentSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def documents(self, request, uuid=None):
        person = self._person()
        if request.method == "POST":
            if not has_cap(request.user, Cap.EDIT_PERSON):
                self.permission_denied(request)
            serializer = DocumentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            doc = services.document_add(
                actor=request.user, person=person, data=serializer.validated_data
            )
            return Response(DocumentSerializer(doc).data, status=status.HTTP_201_CREATED)
        log_persons(request, [person], "api.persons.documents", channel="api")
        return Response(DocumentSerializer(person.documents.all(), many=True).data)

    @extend_schema(methods=["GET"], responses=ConsentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ConsentInputSerializer,
        responses={201: ConsentSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"])
    def consents(self, request, uuid=None):
        person = self._person()
        if request.method == "POST":
            if not has_cap(request.user, Cap.RECORD_CONSENT):
                self.permission_denied(request)
            serializer = ConsentInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            privacy_services.consent_record(
                actor=request.user, person=person, purposes=serializer.validated_data["purposes"]
            )
            return Response(
                ConsentSerializer(privacy_selectors.consents_of(person), many=True).data,
                status=status.HTTP_201_CREATED,
            )
        log_persons(request, [person], "api.persons.consents", channel="api")
        return Response(ConsentSerializer(privacy_selectors.consents_of(person), many=True).data)


class HouseholdViewSet(viewsets.GenericViewSet):
    """Households: create with all members at once (atomic), read members."""

    lookup_field = "uuid"
    permission_classes = [ActionCaps]
    action_caps = {"create": (Cap.VIEW_PERSON, Cap.EDIT_PERSON), "retrieve": (Cap.VIEW_PERSON,)}
    serializer_class = HouseholdSerializer

    def get_queryset(self):
        if not has_cap(self.request.user, Cap.VIEW_PERSON):
            return Household.objects.none()
        return Household.objects.select_related("locality")

    @extend_schema(request=HouseholdSerializer, responses={201: HouseholdSerializer})
    def create(self, request):
        serializer = HouseholdSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        members = []
        for member in data["members"]:
            if member.get("person") is not None:
                members.append(member)
                continue
            fields = dict(member)
            new_member = {
                "relationship": fields.pop("relationship"),
                "population_group": fields.pop("population_group"),
                "population_group_since": fields.pop("population_group_since", None),
                "documents": fields.pop("documents", []),
                "differential": fields.pop("differential", None),
            }
            fields.pop("consents", None)  # the household's consents apply to new members
            fields.pop("person", None)
            if not has_cap(request.user, Cap.VIEW_SENSITIVE):
                new_member["differential"] = None
            members.append(new_member | {"fields": fields})
        household = services.household_register(
            actor=request.user,
            members=members,
            locality=data.get("locality"),
            address=data.get("address", ""),
            consents=data.get("consents"),
        )
        return Response(HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, uuid=None):
        household = _get_by_uuid_or_404(self.get_queryset(), uuid)
        members = [m.person for m in selectors.household_members(household)]
        log_persons(request, members, "api.households.retrieve", channel="api")
        return Response(HouseholdSerializer(household).data)


class VisitViewSet(viewsets.GenericViewSet):
    """Visits (attentions). List with `?person=<id>`; create for one person or household members."""

    lookup_field = "uuid"
    permission_classes = [ActionCaps]
    action_caps = {"list": (Cap.VIEW_PERSON,), "create": (Cap.VIEW_PERSON, Cap.RECORD_VISIT)}
    serializer_class = VisitSerializer

    def get_queryset(self):
        return Visit.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("person", str, required=True)],
        responses=VisitSerializer(many=True),
    )
    def list(self, request):
        person_uuid = request.query_params.get("person", "")
        person = (
            selectors.person_for_detail(user=request.user, uuid=person_uuid)
            if _is_uuid(person_uuid)
            else None
        )
        if person is None:
            raise InvalidInput(
                _("Give an existing person in ?person=."),
                field_errors={"person": [_("Unknown person.")]},
            )
        log_persons(request, [person], "api.visits.list", channel="api")
        return Response(VisitSerializer(selectors.visits_of_person(person), many=True).data)

    def create(self, request):
        serializer = VisitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        visit = services.visit_record(
            actor=request.user,
            persons=data["persons"],
            household=data.get("household"),
            attention_point=data["attention_point"],
            reasons=data["reasons"],
            orientation_topics=data.get("orientation_topics", []),
            note=data.get("note", ""),
            occurred_at=data.get("occurred_at"),
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class ConsentViewSet(viewsets.GenericViewSet):
    lookup_field = "uuid"
    permission_classes = [ActionCaps]
    action_caps = {"withdraw": (Cap.VIEW_PERSON, Cap.RECORD_CONSENT)}
    serializer_class = ConsentSerializer

    def get_queryset(self):
        if not has_cap(self.request.user, Cap.VIEW_PERSON):
            return Consent.objects.none()
        return Consent.objects.all()

    @extend_schema(request=ReasonSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, uuid=None):
        consent = _get_by_uuid_or_404(self.get_queryset(), uuid)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = privacy_services.consent_withdraw(
            actor=request.user, consent=consent, reason=serializer.validated_data["reason"]
        )
        return Response(ConsentSerializer(consent).data)


def _get_by_uuid_or_404(queryset, value):
    # A malformed UUID in the path is an unknown object, not a server error.
    if not _is_uuid(value):
        raise Http404
    return get_object_or_404(queryset, uuid=value)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
