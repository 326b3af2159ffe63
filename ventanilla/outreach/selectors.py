"""Reads of outreach sessions that know who is asking.

Planners and recorders see every session; partner staff only the sessions their organization
takes part in, and never the names of attendees.
"""

from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from ventanilla.accounts.models import Organization
from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.outreach.choices import AgeGroup, AttendeeSex
from ventanilla.outreach.models import (
    AnonymousAttendance,
    OutreachSession,
    ServiceDelivered,
    SessionAttendance,
)
from ventanilla.registry.models import Person


def may_see_all(user) -> bool:
    return has_cap(user, Cap.PLAN_OUTREACH) or has_cap(user, Cap.RECORD_OUTREACH)


def may_see_names(user) -> bool:
    """Names of registered attendees: recorders who also read the registry."""
    return has_cap(user, Cap.RECORD_OUTREACH) and has_cap(user, Cap.VIEW_PERSON)


def sessions_visible_to(user):
    if may_see_all(user):
        return OutreachSession.objects.all()
    if has_cap(user, Cap.VIEW_PARTICIPATING_OUTREACH) and user.organization_id:
        return OutreachSession.objects.filter(organizations=user.organization_id)
    return OutreachSession.objects.none()


def _with_organizations(sessions):
    return sessions.select_related("attention_point", "locality").prefetch_related(
        Prefetch("organizations", Organization.objects.order_by("name"))
    )


def session_list(*, user, when: str = "upcoming", locality=None, kind: str | None = None):
    """Upcoming (soonest first) or past (latest first) sessions, with attendance totals."""
    today = timezone.localdate()
    sessions = sessions_visible_to(user)
    if when == "past":
        sessions = sessions.filter(date__lt=today).order_by("-date", "-start_time", "-id")
    else:
        sessions = sessions.filter(date__gte=today).order_by("date", "start_time", "id")
    if locality is not None:
        sessions = sessions.filter(locality=locality)
    if kind:
        sessions = sessions.filter(kind=kind)
    # Subqueries: two joins in one aggregate would multiply each other's rows.
    registered = (
        SessionAttendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("id"))
        .values("n")
    )
    anonymous = (
        AnonymousAttendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Sum("count"))
        .values("n")
    )
    return _with_organizations(sessions).annotate(
        registered_total=Coalesce(Subquery(registered), 0),
        anonymous_total=Coalesce(Subquery(anonymous), 0),
    )


def session_for_user(*, user, uuid) -> OutreachSession | None:
    return _with_organizations(sessions_visible_to(user)).filter(uuid=uuid).first()


def attendees_of(session: OutreachSession) -> list[SessionAttendance]:
    return list(
        SessionAttendance.objects.filter(session=session)
        .select_related("person")
        .order_by("person__sort_key", "person__id")
    )


def anonymous_grid(session: OutreachSession) -> dict[tuple[str, str], int]:
    return {(row.sex, row.age_group): row.count for row in session.anonymous_counts.all()}


def services_delivered_of(session: OutreachSession, *, with_persons: bool):
    rows = ServiceDelivered.objects.filter(session=session).select_related("service", "provider")
    if with_persons:
        rows = rows.prefetch_related(
            Prefetch(
                "persons",
                Person.objects.only(
                    "uuid", "given_names", "first_surname", "second_surname", "preferred_name"
                ).order_by("sort_key"),
            )
        )
    return rows.order_by("created_at", "id")


def session_totals(session: OutreachSession) -> dict:
    """Attendance by sex and age group, registered and anonymous together (counts only)."""
    grid: dict[tuple[str, str], int] = {}
    registered = (
        SessionAttendance.objects.filter(session=session)
        .values("sex", "age_group")
        .annotate(n=Count("id"))
    )
    registered_total = 0
    for row in registered:
        key = (row["sex"], row["age_group"] or "")
        grid[key] = grid.get(key, 0) + row["n"]
        registered_total += row["n"]
    anonymous_total = 0
    for (sex, age_group), count in anonymous_grid(session).items():
        grid[(sex, age_group)] = grid.get((sex, age_group), 0) + count
        anonymous_total += count
    age_groups = [*AgeGroup.choices]
    if any(age == "" for _sex, age in grid):
        age_groups.append(("", "?"))
    rows = [
        {
            "label": label,
            "cells": [grid.get((sex, age), 0) for sex in AttendeeSex.values],
            "total": sum(grid.get((sex, age), 0) for sex in AttendeeSex.values),
        }
        for age, label in age_groups
    ]
    by_sex = [sum(grid.get((sex, age), 0) for age, _l in age_groups) for sex in AttendeeSex.values]
    return {
        "registered": registered_total,
        "anonymous": anonymous_total,
        "total": registered_total + anonymous_total,
        "rows": rows,
        "by_sex": by_sex,
    }
