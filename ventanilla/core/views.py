"""Small helpers shared by the UI views of every app."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from ventanilla.accounts.permissions import has_cap
from ventanilla.core.exceptions import DomainError


def require_cap(*caps: str):
    """Anonymous users go to the login page; users without every capability get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not all(has_cap(request.user, cap) for cap in caps):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require_any_cap(*caps: str):
    """Like require_cap, but one of the capabilities is enough."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_cap(request.user, cap) for cap in caps):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def add_domain_errors(form, exc: DomainError, request=None) -> None:
    """Shows a service's field errors next to the fields, the rest at the top of the form.

    With the request, persons the message names (a duplicate document's holder) are written
    to the access log, as any other screen showing them would.
    """
    if request is not None:
        log_persons_shown(request, exc)
    placed = False
    for name, messages in exc.field_errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def log_persons(request, persons, view: str, *, channel: str = "ui") -> None:
    """Write the persons a page or API response shows to the access log (privacy)."""
    from ventanilla.privacy.services import access_record

    access_record(
        actor=request.user,
        persons=persons,
        channel=channel,
        view=view,
        path=request.get_full_path(),
    )


def log_persons_shown(request, exc: BaseException) -> None:
    from ventanilla.core.exceptions import persons_shown
    from ventanilla.privacy.services import access_record

    shown = persons_shown(exc)
    if shown and request.user.is_authenticated:
        view = request.resolver_match.view_name if request.resolver_match else "error"
        access_record(
            actor=request.user,
            persons=shown,
            channel="ui",
            view=view.replace(":", "."),
            path=request.get_full_path(),
        )


def home(request):
    """Each role lands where its work is."""
    from django.shortcuts import redirect, render

    from ventanilla.accounts.permissions import Cap
    from ventanilla.cases.views import MY_WORK_CAPS

    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if any(has_cap(user, cap) for cap in MY_WORK_CAPS):
        return redirect("my_work")
    if has_cap(user, Cap.VIEW_PERSON):
        return redirect("registry:search")
    if has_cap(user, Cap.VIEW_AGGREGATES):
        return redirect("insights:figures")
    if has_cap(user, Cap.MANAGE_USERS):
        return redirect("accounts:user_list")
    return render(request, "core/welcome.html")
