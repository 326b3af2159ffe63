"""Cases API: the same capabilities, selectors and services as the screens."""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ventanilla.accounts.permissions import Cap
from ventanilla.cases import selectors, services
from ventanilla.cases.choices import (
    CaseStatus,
    NeedArea,
    NoteConfidentiality,
    PlanItemKind,
    Priority,
    ReferralStatus,
)
from ventanilla.cases.models import Case, PlanItem, Referral, Task
from ventanilla.core.api_permissions import ActionCaps, any_cap_required
from ventanilla.core.exceptions import InvalidInput
from ventanilla.core.views import log_persons
from ventanilla.registry import selectors as registry_selectors
from ventanilla.registry.models import Household

_UUID = "[0-9a-fA-F-]{36}"


class _UserRef(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class CaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person = serializers.UUIDField(source="person.uuid", read_only=True, allow_null=True)
    household = serializers.UUIDField(source="household.uuid", read_only=True, allow_null=True)
    assigned_to = _UserRef(read_only=True, allow_null=True)
    next_statuses = serializers.ListField(
        child=serializers.ChoiceField(choices=CaseStatus.choices), read_only=True
    )
    version = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "household",
            "status",
            "next_statuses",
            "assigned_to",
            "opened_at",
            "closure_reason",
            "closure_requested_at",
            "closure_approved_at",
            "version",
        ]


class PlanItemSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    kind = serializers.ChoiceField(choices=PlanItemKind.choices)
    area = serializers.ChoiceField(choices=NeedArea.choices, required=False, allow_blank=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    description = serializers.CharField(max_length=2000)
    status = serializers.CharField(read_only=True)


class AssessmentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    questionnaire = serializers.CharField(source="questionnaire.code", read_only=True)
    questionnaire_version = serializers.IntegerField(source="questionnaire.version", read_only=True)
    answers = serializers.DictField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True)


class NoteSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    author = _UserRef(read_only=True)
    text = serializers.CharField()
    confidentiality = serializers.ChoiceField(
        choices=NoteConfidentiality.choices, default=NoteConfidentiality.TEAM
    )
    created_at = serializers.DateTimeField(read_only=True)


class TaskSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    owner = _UserRef(read_only=True)
    done_at = serializers.DateTimeField(read_only=True)


class NewTaskSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    owner = serializers.SlugRelatedField(
        slug_field="uuid", queryset=get_user_model().objects.filter(is_active=True)
    )


class CaseDetailSerializer(CaseSerializer):
    latest_assessment = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "latest_assessment", "plan", "tasks"]

    @extend_schema_field(AssessmentSerializer(allow_null=True))
    def get_latest_assessment(self, case):
        latest = selectors.assessments_of(case).first()
        return AssessmentSerializer(latest).data if latest else None

    @extend_schema_field(PlanItemSerializer(many=True))
    def get_plan(self, case):
        return PlanItemSerializer(selectors.plan_items(case), many=True).data

    @extend_schema_field(TaskSerializer(many=True))
    def get_tasks(self, case):
        return TaskSerializer(selectors.tasks_of(case), many=True).data


class OpenCaseSerializer(serializers.Serializer):
    person = serializers.UUIDField(required=False, help_text="The person's id (or household)")
    household = serializers.UUIDField(required=False, help_text="The household's id")


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=CaseStatus.choices)
    version = serializers.DateTimeField(
        required=False, help_text="The `version` you read; a stale version gives 409."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    open_referrals_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Needed to request closure while referrals are still open.",
    )


class AssignSerializer(serializers.Serializer):
    assigned_to = serializers.UUIDField(allow_null=True, help_text="A case worker's id, or null")
    version = serializers.DateTimeField(required=False)


class NewAssessmentSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="{question id: answer}, see the questionnaire")
    version = serializers.DateTimeField(required=False)


class _CaseReferralNeed(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    area = serializers.ChoiceField(choices=NeedArea.choices, read_only=True)
    description = serializers.CharField(read_only=True)


class _CaseReferralPerson(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class _CaseReferralService(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)


class CaseReferralSerializer(serializers.Serializer):
    """A referral as the case team follows it (the partner's view is ReferralSerializer)."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    next_statuses = serializers.SerializerMethodField()
    need = _CaseReferralNeed(read_only=True)
    person = _CaseReferralPerson(read_only=True)
    household_referral = serializers.UUIDField(
        source="group.uuid",
        read_only=True,
        allow_null=True,
        help_text="The same id on every referral sent together for household members.",
    )
    service = _CaseReferralService(read_only=True, allow_null=True)
    is_external = serializers.BooleanField(read_only=True)
    provider = serializers.CharField(source="provider_name", read_only=True)
    external_provider_contact = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    sent_at = serializers.DateTimeField(read_only=True)
    sent_by = _UserRef(read_only=True)
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    consent_overridden = serializers.SerializerMethodField()
    reason = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    version = serializers.DateTimeField(source="updated_at", read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_next_statuses(self, referral) -> list[str]:
        from ventanilla.cases import referral_workflow

        return sorted(referral_workflow.allowed_next(referral.status))

    def get_consent_overridden(self, referral) -> bool:
        return bool(referral.consent_override_reason)


class SendReferralSerializer(serializers.Serializer):
    need = serializers.UUIDField(help_text="A need of the case plan (a plan item of kind need).")
    service = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A service of the catalog, active today; or leave it out and name "
        "`external_provider`.",
    )
    external_provider = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="A provider outside Ventanilla."
    )
    external_contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    persons = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=True,
        help_text="The person of the case and/or members of their household: one referral each.",
    )
    summary = serializers.CharField(
        max_length=4000, help_text="What the receiving organization needs to know."
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Send although a person did not consent (roles allowed to override only).",
    )


class CancelReferralSerializer(serializers.Serializer):
    version = serializers.DateTimeField(
        required=False, help_text="The `version` you read; a stale version gives 409."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)


_FOLLOW_UP_STATUSES = [
    ReferralStatus.ACCEPTED,
    ReferralStatus.REJECTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.COMPLETED,
    ReferralStatus.DID_NOT_ATTEND,
]


class FollowUpReferralSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in _FOLLOW_UP_STATUSES],
        help_text="The status the external provider reported.",
    )
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="The outcome (completed, required) or the reason (rejected, required).",
    )
    version = serializers.DateTimeField(
        required=False, help_text="The `version` you read; a stale version gives 409."
    )


class CaseViewSet(viewsets.GenericViewSet):
    """Cases: open, move through the workflow, assess, plan, notes and tasks."""

    lookup_field = "uuid"
    lookup_value_regex = _UUID
    permission_classes = [ActionCaps]
    action_caps = {
        "list": (Cap.VIEW_CASES,),
        "retrieve": (Cap.VIEW_CASES,),
        "create": (Cap.OPEN_CASE,),
        "transition": (Cap.VIEW_CASES, Cap.WORK_CASES),
        "assign": (Cap.VIEW_CASES, Cap.WORK_CASES),
        "assessments": (Cap.VIEW_CASES, Cap.WORK_CASES),
        "plan": (Cap.VIEW_CASES, Cap.WORK_CASES),
        "notes": (Cap.VIEW_CASES,),
        "add_note": (Cap.VIEW_CASES, Cap.ADD_CASE_NOTES),
        "tasks": (Cap.VIEW_CASES,),
        "add_task": (Cap.VIEW_CASES, Cap.WORK_CASES),
        "complete_task": (Cap.VIEW_CASES, Cap.WORK_CASES),
        "referrals": (Cap.VIEW_CASES,),
        "send_referral": (Cap.VIEW_CASES, Cap.REFER),
        "cancel_referral": (Cap.VIEW_CASES, Cap.REFER),
        "follow_up_referral": (Cap.VIEW_CASES, Cap.REFER),
    }
    serializer_class = CaseSerializer

    def get_queryset(self):
        return selectors.cases_visible_to(self.request.user).select_related(
            "person", "household", "assigned_to"
        )

    def _case(self, *, log: bool = False) -> Case:
        case = get_object_or_404(self.get_queryset(), uuid=self.kwargs["uuid"])
        if log:
            log_persons(
                self.request,
                selectors.case_persons(case),
                f"api.cases.{self.action}",
                channel="api",
            )
        return case

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=CaseStatus.values)],
        responses=CaseSerializer(many=True),
    )
    def list(self, request):
        cases = self.get_queryset()
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in CaseStatus.values:
                raise InvalidInput(_unknown_status(), field_errors={"status": [_unknown_status()]})
            cases = cases.filter(status=wanted)
        page = self.paginate_queryset(cases)
        log_persons(request, selectors.persons_of_cases(page), "api.cases.list", channel="api")
        return self.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request, uuid=None):
        case = self._case(log=True)
        return Response(CaseDetailSerializer(case).data)

    @extend_schema(request=OpenCaseSerializer, responses={201: CaseSerializer})
    def create(self, request):
        serializer = OpenCaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = household = None
        if data.get("person"):
            person = registry_selectors.person_for_detail(user=request.user, uuid=data["person"])
            if person is None:
                raise Http404
        if data.get("household"):
            household = Household.objects.filter(uuid=data["household"]).first()
            if household is None:
                raise Http404
        case = services.case_open(actor=request.user, person=person, household=household)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, uuid=None):
        case = self._case()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = services.case_transition(
            actor=request.user,
            case=case,
            to=data["to"],
            expected_version=data.get("version"),
            reason=data.get("reason", ""),
            open_referrals_reason=data.get("open_referrals_reason", ""),
        )
        return Response(CaseSerializer(case).data)

    @extend_schema(request=AssignSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, uuid=None):
        case = self._case()
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = None
        if data["assigned_to"] is not None:
            user = get_user_model().objects.filter(uuid=data["assigned_to"], is_active=True).first()
            if user is None:
                raise InvalidInput(_no_such_user(), field_errors={"assigned_to": [_no_such_user()]})
        case = services.case_assign(
            actor=request.user, case=case, assigned_to=user, expected_version=data.get("version")
        )
        return Response(CaseSerializer(case).data)

    @extend_schema(request=NewAssessmentSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def assessments(self, request, uuid=None):
        case = self._case()
        serializer = NewAssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_record(
            actor=request.user,
            case=case,
            answers=serializer.validated_data["answers"],
            expected_version=serializer.validated_data.get("version"),
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanItemSerializer, responses={201: PlanItemSerializer})
    @action(detail=True, methods=["post"])
    def plan(self, request, uuid=None):
        case = self._case()
        serializer = PlanItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.plan_item_add(actor=request.user, case=case, **serializer.validated_data)
        return Response(PlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=NoteSerializer(many=True))
    @action(detail=True, methods=["get"])
    def notes(self, request, uuid=None):
        case = self._case(log=True)
        notes = selectors.notes_visible_to(user=request.user, case=case)
        return Response(NoteSerializer(notes, many=True).data)

    @extend_schema(request=NoteSerializer, responses={201: NoteSerializer})
    @notes.mapping.post
    def add_note(self, request, uuid=None):
        case = self._case()
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.note_add(actor=request.user, case=case, **serializer.validated_data)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TaskSerializer(many=True))
    @action(detail=True, methods=["get"])
    def tasks(self, request, uuid=None):
        case = self._case(log=True)
        return Response(TaskSerializer(selectors.tasks_of(case), many=True).data)

    @extend_schema(request=NewTaskSerializer, responses={201: TaskSerializer})
    @tasks.mapping.post
    def add_task(self, request, uuid=None):
        case = self._case()
        serializer = NewTaskSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.task_add(actor=request.user, case=case, **serializer.validated_data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=TaskSerializer,
        parameters=[OpenApiParameter("task_uuid", str, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=f"tasks/(?P<task_uuid>{_UUID})/complete")
    def complete_task(self, request, uuid=None, task_uuid=None):
        case = self._case()
        task = get_object_or_404(Task, case=case, uuid=task_uuid)
        task = services.task_complete(actor=request.user, task=task)
        return Response(TaskSerializer(task).data)

    # --- Referrals sent from the case (the case team; partner tokens get 403) ---------

    @extend_schema(
        summary="The referrals of the case",
        description="Every referral sent from this case, with its status, outcome and version.",
        responses=CaseReferralSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def referrals(self, request, uuid=None):
        case = self._case()
        referrals = list(selectors.referrals_of_case(case).select_related("group"))
        log_persons(request, [r.person_id for r in referrals], "api.cases.referrals", channel="api")
        return Response(CaseReferralSerializer(referrals, many=True).data)

    @extend_schema(
        summary="Send a referral from a need of the case plan",
        description=(
            "One referral per person (a household referral when several), all or none. "
            "Each person must have consented to share data with the organizations they are "
            "referred to; roles that may override consent send anyway with `override_reason`."
        ),
        request=SendReferralSerializer,
        responses={201: CaseReferralSerializer(many=True)},
    )
    @referrals.mapping.post
    def send_referral(self, request, uuid=None):
        case = self._case()
        serializer = SendReferralSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        sent = services.referral_send(
            actor=request.user,
            case=case,
            need=_need_of(case, data["need"]),
            service=_active_service(data.get("service")),
            external_provider=data.get("external_provider", ""),
            external_contact=data.get("external_contact", ""),
            persons=_persons(case, data["persons"]),
            summary=data["summary"],
            override_reason=data.get("override_reason", ""),
        )
        log_persons(request, [r.person_id for r in sent], "api.cases.send_referral", channel="api")
        return Response(
            CaseReferralSerializer(sent, many=True).data, status=status.HTTP_201_CREATED
        )

    def _case_referral(self) -> Referral:
        case = self._case()
        return get_object_or_404(
            selectors.referrals_of_case(case), uuid=self.kwargs["referral_uuid"]
        )

    @extend_schema(
        summary="Cancel a referral",
        request=CancelReferralSerializer,
        responses=CaseReferralSerializer,
        parameters=[OpenApiParameter("referral_uuid", str, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=f"referrals/(?P<referral_uuid>{_UUID})/cancel")
    def cancel_referral(self, request, uuid=None, referral_uuid=None):
        referral = self._case_referral()
        serializer = CancelReferralSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = services.referral_cancel(
            actor=request.user,
            referral=referral,
            reason=data.get("reason", ""),
            expected_version=data.get("version"),
        )
        log_persons(request, [referral.person_id], "api.cases.cancel_referral", channel="api")
        return Response(CaseReferralSerializer(referral).data)

    @extend_schema(
        summary="Follow up an external referral",
        description=(
            "For referrals to an external provider (not using Ventanilla) the case team "
            "records what the provider did: accepted, rejected (with the reason), in progress, "
            "completed (with the outcome) or did not attend. Referrals to a catalog service "
            "are answered by the receiving organization (403 here)."
        ),
        request=FollowUpReferralSerializer,
        responses=CaseReferralSerializer,
        parameters=[OpenApiParameter("referral_uuid", str, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"referrals/(?P<referral_uuid>{_UUID})/follow-up",
    )
    def follow_up_referral(self, request, uuid=None, referral_uuid=None):
        referral = self._case_referral()
        serializer = FollowUpReferralSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = services.referral_transition(
            actor=request.user,
            referral=referral,
            to=data["to"],
            text=data.get("text", ""),
            expected_version=data.get("version"),
        )
        log_persons(request, [referral.person_id], "api.cases.follow_up_referral", channel="api")
        return Response(CaseReferralSerializer(referral).data)


def _need_of(case: Case, need_uuid) -> PlanItem:
    need = PlanItem.objects.filter(case=case, uuid=need_uuid).first()
    if need is None:
        message = _choose_a_need()
        raise InvalidInput(message, field_errors={"need": [message]})
    return need


def _active_service(service_uuid):
    """The service as the screens offer it: published and active today."""
    if service_uuid is None:
        return None
    from django.utils import timezone

    from ventanilla.catalog.selectors import services_active

    service = services_active(today=timezone.localdate()).filter(uuid=service_uuid).first()
    if service is None:
        message = _no_such_service()
        raise InvalidInput(message, field_errors={"service": [message]})
    return service


def _persons(case: Case, person_uuids) -> list:
    """The chosen persons among those the case may refer; the service refuses the rest."""
    allowed = {p.uuid: p for p in services.referral_persons_allowed(case)}
    chosen = [allowed[u] for u in dict.fromkeys(person_uuids) if u in allowed]
    if len(chosen) != len(set(person_uuids)):
        message = _not_referable()
        raise InvalidInput(message, field_errors={"persons": [message]})
    return chosen


def _choose_a_need():
    from django.utils.translation import gettext as _

    return _("Choose a need of this case plan.")


def _no_such_service():
    from django.utils.translation import gettext as _

    return _("There is no such service active in the catalog.")


def _not_referable():
    from django.utils.translation import gettext as _

    return _("Only the person of the case or their household can be referred.")


def _unknown_status():
    from django.utils.translation import gettext as _

    return _("Unknown status.")


def _no_such_user():
    from django.utils.translation import gettext as _

    return _("There is no such active user.")


# --- Referrals -------------------------------------------------------------------------


class _ReferralNeed(serializers.Serializer):
    area = serializers.ChoiceField(choices=NeedArea.choices, read_only=True)
    description = serializers.CharField(read_only=True)


class _ReferralPerson(serializers.Serializer):
    """Only what the receiving organization needs: the name and how to reach the person."""

    name = serializers.CharField(source="display_name", read_only=True)
    phone = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)


class _ReferralService(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)


class ReferralSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    need = _ReferralNeed(read_only=True)
    person = _ReferralPerson(read_only=True)
    service = _ReferralService(read_only=True, allow_null=True)
    is_external = serializers.BooleanField(read_only=True)
    summary = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    sent_at = serializers.DateTimeField(read_only=True)
    reason = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    version = serializers.DateTimeField(source="updated_at", read_only=True)


class ReferralActionSerializer(serializers.Serializer):
    version = serializers.DateTimeField(
        required=False, help_text="The `version` you read; a stale version gives 409."
    )
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="The reason (reject), the outcome (complete) or the update (update).",
    )


class ReferralViewSet(viewsets.GenericViewSet):
    """Referrals. Partner tokens: their organization's referrals, answered and followed up."""

    lookup_field = "uuid"
    lookup_value_regex = _UUID
    serializer_class = ReferralSerializer

    def get_permissions(self):
        return [any_cap_required(Cap.ANSWER_REFERRALS, Cap.VIEW_CASES)()]

    def get_queryset(self):
        return selectors.referrals_visible_to(self.request.user)

    def _referral(self) -> Referral:
        referral = get_object_or_404(self.get_queryset(), uuid=self.kwargs["uuid"])
        log_persons(
            self.request, [referral.person_id], f"api.referrals.{self.action}", channel="api"
        )
        return referral

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=ReferralStatus.values)],
        responses=ReferralSerializer(many=True),
    )
    def list(self, request):
        referrals = self.get_queryset().order_by("due_date", "id")
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in ReferralStatus.values:
                raise InvalidInput(_unknown_status(), field_errors={"status": [_unknown_status()]})
            referrals = referrals.filter(status=wanted)
        page = self.paginate_queryset(referrals)
        log_persons(request, [r.person_id for r in page], "api.referrals.list", channel="api")
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    @extend_schema(responses=ReferralSerializer)
    def retrieve(self, request, uuid=None):
        return Response(ReferralSerializer(self._referral()).data)

    def _move(self, request, to: str):
        referral = self._referral()
        serializer = ReferralActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = services.referral_transition(
            actor=request.user,
            referral=referral,
            to=to,
            text=data.get("text", ""),
            expected_version=data.get("version"),
        )
        return Response(ReferralSerializer(referral).data)

    @extend_schema(request=ReferralActionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, uuid=None):
        return self._move(request, ReferralStatus.ACCEPTED)

    @extend_schema(request=ReferralActionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, uuid=None):
        return self._move(request, ReferralStatus.REJECTED)

    @extend_schema(request=ReferralActionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, uuid=None):
        return self._move(request, ReferralStatus.IN_PROGRESS)

    @extend_schema(request=ReferralActionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, uuid=None):
        return self._move(request, ReferralStatus.COMPLETED)

    @extend_schema(request=ReferralActionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="did-not-attend")
    def did_not_attend(self, request, uuid=None):
        return self._move(request, ReferralStatus.DID_NOT_ATTEND)

    @extend_schema(request=ReferralActionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="update")
    def update_note(self, request, uuid=None):
        referral = self._referral()
        serializer = ReferralActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = services.referral_update_note(
            actor=request.user,
            referral=referral,
            note=data.get("text", ""),
            expected_version=data.get("version"),
        )
        return Response(ReferralSerializer(referral).data)
