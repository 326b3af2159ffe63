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


def add_domain_errors(form, exc: DomainError) -> None:
    """Shows a service's field errors next to the fields, the rest at the top of the form."""
    placed = False
    for name, messages in exc.field_errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def home(request):
    """Each role lands where its work is."""
    from django.shortcuts import redirect, render

    from ventanilla.accounts.permissions import Cap

    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if has_cap(user, Cap.VIEW_PERSON):
        return redirect("registry:search")
    if has_cap(user, Cap.VIEW_AGGREGATES):
        return redirect("insights:figures")
    if has_cap(user, Cap.MANAGE_USERS):
        return redirect("accounts:user_list")
    return render(request, "core/welcome.html")
