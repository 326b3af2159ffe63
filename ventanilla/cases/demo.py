"""Demo cases and referrals for the demo city (seed_demo): synthetic and reproducible.

Everything is written through the services, so audit entries, snapshots, household groups
and notifications are what the screens would have produced; only the clock is then moved
back (opened, sent, answered over the last six months), and the UUIDs come from the seed.
"""

import random
import uuid
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from ventanilla.cases import services
from ventanilla.cases.choices import CaseStatus, NoteConfidentiality, ReferralStatus
from ventanilla.cases.models import (
    Assessment,
    Case,
    CaseNote,
    Notification,
    PlanItem,
    Referral,
    ReferralGroup,
    Task,
)
from ventanilla.privacy.choices import ConsentPurpose
from ventanilla.privacy.models import Consent

# How many demo cases end in each status (25 in all).
CASES_BY_STATUS = [
    (CaseStatus.NEW, 3),
    (CaseStatus.ASSESSMENT, 3),
    (CaseStatus.PLAN, 4),
    (CaseStatus.FOLLOW_UP, 8),
    (CaseStatus.CLOSURE_REQUESTED, 2),
    (CaseStatus.CLOSED, 3),
    (CaseStatus.REOPENED, 2),
]

# (area, description, category of the catalog service that meets it)
NEEDS = [
    ("documentation", "Regularizar la situación migratoria (PPT)", "legal_aid"),
    ("health", "Afiliación al sistema de salud", "health"),
    ("education", "Cupo escolar para los hijos", "education"),
    ("work", "Búsqueda de empleo formal y hoja de vida", "employment"),
    ("income", "Apoyo para emprendimiento", "entrepreneurship"),
    ("housing", "Riesgo de desalojo: alojamiento temporal", "housing"),
    ("protection", "Orientación sobre violencias basadas en género", "protection"),
    ("family", "Reunificación familiar", "psychosocial"),
]

SUMMARIES = [
    "Llegó hace pocos meses; necesita orientación sobre el trámite y los documentos.",
    "Tiene cita pendiente; pide acompañamiento para el primer contacto.",
    "Hogar con niños pequeños; prefiere atención en la mañana.",
    "Consintió compartir nombre y teléfono; contactar por WhatsApp.",
]

OUTCOMES = [
    "Recibió la orientación y radicó la solicitud.",
    "Quedó afiliada; se entregó el carné.",
    "Se asignó cupo escolar para el segundo semestre.",
    "Participó en el taller y se remitió a dos vacantes.",
]

REJECTIONS = [
    "No hay cupos este mes; volver a remitir en 30 días.",
    "La persona no cumple el rango de edad del servicio.",
]

TEAM_NOTES = [
    "Primera entrevista: la persona llegó con su hermana; se acordó llamar el lunes.",
    "Se revisaron documentos; falta el certificado de antecedentes.",
    "Llamada de seguimiento: sigue buscando vivienda cerca del colegio de los niños.",
]

SPECIALIST_NOTES = [
    "Atención psicosocial: se observa duelo migratorio; seguimiento quincenal.",
    "Asesoría jurídica: posible solicitud de refugio, revisar fechas de ingreso.",
]

TASKS = [
    "Llamar para confirmar la cita",
    "Revisar documentos entregados",
    "Visitar el hogar",
    "Actualizar el plan con la persona",
]

# What became of the referrals of cases still open (taken in turn).
OPEN_CASE_PATHS = [
    "accepted",
    "in_progress",
    "sent",
    "completed",
    "rejected",
    "accepted",
    "did_not_attend",
    "cancelled",
    "in_progress",
    "sent",
]

# Valid answers to the needs questionnaire (v2: v1 plus the IVL questions), varied per case.
ANSWER_SETS = [
    {
        "migration_status": "in_process",
        "ppt_status": "biometrics_done",
        "health_affiliated": "none",
        "work_now": False,
        "income_monthly_range": "below_half_mw",
        "housing_type": "room",
        "housing_eviction_risk": True,
        "protection_feels_unsafe": False,
        "family_dependents": 2,
        "edu_years_schooling": 7,
        "work_time_without_job": "12_months_or_more",
        "work_skills_certification": "not_certified",
        "food_coping_30d": ["fewer_meals", "smaller_portions"],
        "housing_sleeping_rooms": 1,
        "language_host_level": "native",
        "internet_access": "mobile_data",
        "family_childcare_under5": "no_childcare",
    },
    {
        "migration_status": "irregular",
        "doc_held": ["ve_cedula"],
        "health_affiliated": "none",
        "work_now": True,
        "work_formal_contract": False,
        "work_occupation": "Ventas ambulantes",
        "income_monthly_range": "half_to_one_mw",
        "housing_type": "rented",
        "protection_feels_unsafe": True,
        "family_dependents": 3,
        "edu_years_schooling": 11,
        "work_skills_certification": "not_certified",
        "food_coping_30d": ["adults_ate_less"],
        "housing_sleeping_rooms": 2,
        "language_host_level": "native",
        "internet_access": "public_only",
        "family_childcare_under5": "has_childcare",
    },
    {
        "migration_status": "regular",
        "doc_held": ["passport", "ppt"],
        "health_affiliated": "subsidized",
        "work_now": False,
        "edu_highest_level": "university",
        "edu_degree_recognition": True,
        "income_monthly_range": "none",
        "housing_type": "family_friends",
        "protection_feels_unsafe": False,
        "family_dependents": 1,
        "edu_years_schooling": 16,
        "work_time_without_job": "6_to_11_months",
        "work_skills_certification": "certified",
        "food_coping_30d": ["none"],
        "housing_sleeping_rooms": 2,
        "language_host_level": "fluent",
        "internet_access": "home",
        "family_childcare_under5": "no_child_under_5",
    },
]


@contextmanager
def _uuids_from(rng: random.Random, models):
    """New rows of these models take their UUID from the seed while the block runs."""
    fields = [m._meta.get_field("uuid") for m in models]
    saved = [f.default for f in fields]

    def make():
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    for field in fields:
        field.default = make
        field.__dict__.pop("_get_default", None)  # Field caches its default callable.
    try:
        yield
    finally:
        for field, default in zip(fields, saved, strict=True):
            field.default = default
            field.__dict__.pop("_get_default", None)


class DemoCases:
    """Builds the demo cases; `build()` returns how many cases and referrals it made."""

    def __init__(self, *, seed: int, today: date, users: dict, persons: list, households: list):
        self.rng = random.Random(f"cases-{seed}")
        self.today = today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.worker = users["gestora"]
        self.coordinator = users["coordinadora"]
        self.intake = users["orientador"]
        self.specialists = [users["juridica"], users["psicosocial"]]
        self.partner = users["aliado"]
        self.persons = persons
        self.households = households
        self.referrals: list[Referral] = []
        self._turn = 0

    def _moment(self, days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(self.today - timedelta(days=days_ago), time(hour), self.tz)

    def _consenting(self) -> set[int]:
        return set(
            Consent.objects.filter(
                purpose=ConsentPurpose.SHARE_WITH_REFERRALS, granted=True
            ).values_list("person_id", flat=True)
        )

    def _services(self):
        from ventanilla.catalog.selectors import services_active

        active = list(services_active(today=self.today).select_related("provider"))
        partner = [s for s in active if s.provider_id == self.partner.organization_id]
        return partner, active

    def build(self) -> tuple[int, int]:
        models = [Case, PlanItem, Assessment, CaseNote, Task, Referral, ReferralGroup]
        with _uuids_from(self.rng, models):
            count = self._build()
        return count, len(self.referrals)

    def _build(self) -> int:
        rng = self.rng
        consenting = self._consenting()
        partner_services, active = self._services()
        if not partner_services or not self.persons:
            return 0
        other_services = [s for s in active if s not in partner_services] or partner_services
        adults = [p for p in self.persons if (p.age(self.today) or 0) >= 18 and p.pk in consenting]
        rng.shuffle(adults)
        statuses = [s for s, n in CASES_BY_STATUS for _ in range(n)]
        cases = 0
        for index, status in enumerate(statuses):
            if index >= len(adults):
                break
            person = adults[index]
            opened_days_ago = (
                rng.randint(3, 20) if status == CaseStatus.NEW else rng.randint(30, 180)
            )
            self._case(
                index=index,
                person=person,
                status=status,
                opened_days_ago=opened_days_ago,
                partner_services=partner_services,
                other_services=other_services,
            )
            cases += 1
        self._settle_notifications()
        return cases

    def _case(self, *, index, person, status, opened_days_ago, partner_services, other_services):
        rng = self.rng
        worker, coordinator = self.worker, self.coordinator
        case = services.case_open(actor=self.intake, person=person, assigned_to=worker)
        opened = self._moment(opened_days_ago, hour=9)
        Case.objects.filter(pk=case.pk).update(opened_at=opened, created_at=opened)
        if status == CaseStatus.NEW:
            self._touch_case(case, opened)
            return
        answers = dict(ANSWER_SETS[index % len(ANSWER_SETS)])
        assessed = opened + timedelta(days=rng.randint(1, 7))
        assessment = services.assessment_record(actor=worker, case=case, answers=answers)
        Assessment.objects.filter(pk=assessment.pk).update(
            completed_at=assessed, created_at=assessed
        )
        self._notes(case, assessed)
        if status == CaseStatus.ASSESSMENT:
            self._touch_case(case, assessed)
            return
        case = services.case_transition(actor=worker, case=case, to=CaseStatus.PLAN)
        needs = []
        for area, description, category in rng.sample(NEEDS, rng.choice([1, 2, 3])):
            need = services.plan_item_add(
                actor=worker,
                case=case,
                kind="need",
                area=area,
                description=description,
                priority=rng.choice(["high", "medium", "low"]),
            )
            needs.append((need, category))
        services.plan_item_add(
            actor=worker,
            case=case,
            kind="goal",
            area=needs[0][0].area,
            description="Acceder a los servicios de la ruta en los próximos tres meses",
        )
        PlanItem.objects.filter(case=case).update(created_at=assessed, updated_at=assessed)
        self._tasks(case, assessed)
        if status == CaseStatus.PLAN:
            self._touch_case(case, assessed)
            return
        case = services.case_transition(actor=worker, case=case, to=CaseStatus.FOLLOW_UP)
        # Closed and closing cases have every referral answered; open ones have a mix.
        finished = status in (
            CaseStatus.CLOSURE_REQUESTED,
            CaseStatus.CLOSED,
            CaseStatus.REOPENED,
        )
        for need, category in needs:
            self._refer(
                case=case,
                need=need,
                category=category,
                opened=assessed,
                finished=finished,
                partner_services=partner_services,
                other_services=other_services,
            )
        last = self._moment(rng.randint(1, 20), hour=15)
        if status == CaseStatus.FOLLOW_UP:
            self._touch_case(case, last)
            return
        case = services.case_transition(
            actor=worker,
            case=case,
            to=CaseStatus.CLOSURE_REQUESTED,
            reason="Se cumplieron los objetivos del plan.",
        )
        Case.objects.filter(pk=case.pk).update(closure_requested_at=last)
        if status == CaseStatus.CLOSURE_REQUESTED:
            self._touch_case(case, last)
            return
        case = services.case_transition(actor=coordinator, case=case, to=CaseStatus.CLOSED)
        Case.objects.filter(pk=case.pk).update(closure_approved_at=last + timedelta(hours=3))
        if status == CaseStatus.CLOSED:
            self._touch_case(case, last + timedelta(hours=3))
            return
        services.case_transition(
            actor=worker,
            case=case,
            to=CaseStatus.REOPENED,
            reason="La persona volvió: perdió el empleo y pide nueva orientación.",
        )
        self._touch_case(case, last + timedelta(days=1))

    def _touch_case(self, case: Case, at: datetime) -> None:
        Case.objects.filter(pk=case.pk).update(updated_at=at)

    def _notes(self, case: Case, at: datetime) -> None:
        rng = self.rng
        note = services.note_add(actor=self.worker, case=case, text=rng.choice(TEAM_NOTES))
        CaseNote.objects.filter(pk=note.pk).update(created_at=at, updated_at=at)
        if rng.random() < 0.5:
            note = services.note_add(
                actor=rng.choice(self.specialists),
                case=case,
                text=rng.choice(SPECIALIST_NOTES),
                confidentiality=NoteConfidentiality.SPECIALISTS_ONLY,
            )
            later = at + timedelta(days=2)
            CaseNote.objects.filter(pk=note.pk).update(created_at=later, updated_at=later)

    def _tasks(self, case: Case, at: datetime) -> None:
        rng = self.rng
        for title in rng.sample(TASKS, 2):
            # Some fall due in the past and are still open: overdue on "my cases".
            due = self.today + timedelta(days=rng.randint(-10, 14))
            task = services.task_add(
                actor=self.worker, case=case, title=title, due_date=due, owner=self.worker
            )
            Task.objects.filter(pk=task.pk).update(created_at=at, updated_at=at)
            if due < self.today and rng.random() < 0.5:
                services.task_complete(actor=self.worker, task=task)
                done = datetime.combine(due, time(16), self.tz)
                Task.objects.filter(pk=task.pk).update(done_at=done, updated_at=done)

    def _refer(self, *, case, need, category, opened, finished, partner_services, other_services):
        rng = self.rng
        days_ago = max(1, min(175, (self.today - opened.date()).days - rng.randint(1, 10)))
        if not finished and rng.random() < 0.25:
            days_ago = rng.randint(1, 2)  # just sent: new in the partner's inbox
        sent_at = self._moment(days_ago, hour=rng.randint(8, 16))
        external = rng.random() < 0.12
        service = None
        if not external:
            # Most go to the demo partner, so its inbox has something to show.
            # Only the demo partner has a user to answer: other providers' referrals stay
            # waiting (or get cancelled), and closed cases only used the partner's services.
            use_partner = finished or rng.random() < 0.85
            pool = partner_services if use_partner else other_services
            matching = [s for s in pool if s.category == category]
            service = rng.choice(matching or pool)
        persons = [case.person]
        if rng.random() < 0.15:
            persons += self._consenting_members(case)
        sent = services.referral_send(
            actor=self.worker,
            case=case,
            need=need,
            persons=persons,
            summary=rng.choice(SUMMARIES),
            service=service,
            external_provider="Hospital Universitario del Norte (demo)" if external else "",
            external_contact="+57 605 330 0000" if external else "",
        )
        days = service.response_time_days if service is not None else 5
        due = sent_at.date() + timedelta(days=days)
        Referral.objects.filter(pk__in=[r.pk for r in sent]).update(
            sent_at=sent_at, due_date=due, created_at=sent_at, updated_at=sent_at
        )
        for referral in sent:
            referral.refresh_from_db()
            self._answer(referral, finished=finished, sent_at=sent_at)
            self.referrals.append(referral)

    def _consenting_members(self, case: Case) -> list:
        allowed = services.referral_persons_allowed(case)
        consenting = self._consenting()
        return [p for p in allowed if p.pk != case.person_id and p.pk in consenting][:2]

    def _answer(self, referral: Referral, *, finished: bool, sent_at: datetime) -> None:
        """Move the referral along as its provider (or, external, the case team) would."""
        rng = self.rng
        recent = (self.today - sent_at.date()).days <= 3
        answerable = referral.is_external or referral.service.provider_id == (
            self.partner.organization_id
        )
        if not answerable:
            path = "sent" if recent or rng.random() < 0.6 else "cancelled"
        elif finished:
            path = rng.choice(["completed", "completed", "rejected", "did_not_attend"])
        elif recent:
            path = "sent"
        else:
            # In turn rather than at random: every status shows up whatever the seed.
            path = OPEN_CASE_PATHS[self._turn % len(OPEN_CASE_PATHS)]
            self._turn += 1
        answerer = self.worker if referral.is_external else self.partner
        steps = {
            "sent": [],
            "accepted": [ReferralStatus.ACCEPTED],
            "in_progress": [ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS],
            "completed": [
                ReferralStatus.ACCEPTED,
                ReferralStatus.IN_PROGRESS,
                ReferralStatus.COMPLETED,
            ],
            "rejected": [ReferralStatus.REJECTED],
            "did_not_attend": [ReferralStatus.ACCEPTED, ReferralStatus.DID_NOT_ATTEND],
            "cancelled": [ReferralStatus.CANCELLED],
        }[path]
        at = sent_at
        for to in steps:
            at = min(at + timedelta(days=rng.randint(1, 4)), self._moment(0, hour=8))
            text = {
                ReferralStatus.COMPLETED: rng.choice(OUTCOMES),
                ReferralStatus.REJECTED: rng.choice(REJECTIONS),
                ReferralStatus.DID_NOT_ATTEND: "No asistió a dos citas agendadas.",
                ReferralStatus.CANCELLED: "La persona se trasladó a otra ciudad.",
            }.get(to, "")
            actor = self.worker if to == ReferralStatus.CANCELLED else answerer
            services.referral_transition(actor=actor, referral=referral, to=to, text=text)
            moved = {"updated_at": at}
            if to in (ReferralStatus.ACCEPTED, ReferralStatus.REJECTED):
                moved["answered_at"] = at
            if to in (
                ReferralStatus.COMPLETED,
                ReferralStatus.REJECTED,
                ReferralStatus.DID_NOT_ATTEND,
                ReferralStatus.CANCELLED,
            ):
                moved["completed_at"] = at
            Referral.objects.filter(pk=referral.pk).update(**moved)
        referral.refresh_from_db()

    def _settle_notifications(self) -> None:
        """Notifications about referrals already answered have been read long ago."""
        waiting = {
            reverse("cases:referral_detail", kwargs={"referral_uuid": r.uuid})
            for r in self.referrals
            if r.status == ReferralStatus.SENT
        }
        read_at = self._moment(1)
        Notification.objects.filter(read_at__isnull=True).exclude(url__in=waiting).update(
            read_at=read_at
        )
