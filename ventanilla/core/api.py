"""One JSON error shape for the whole API: {"error": {"code", "message", "fields"}}."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ventanilla.core.exceptions import Conflict, DomainError, InvalidInput, PermissionDenied

_DOMAIN_STATUS = {InvalidInput: 400, Conflict: 409, PermissionDenied: 403}


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested error detail into {"field" | "parent.0.child": [messages]}."""
    out: dict[str, list[str]] = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, sub in enumerate(value):
                if sub:
                    walk(f"{prefix}.{index}" if prefix else str(index), sub)
        else:
            items = value if isinstance(value, list) else [value]
            out.setdefault(prefix or "__all__", []).extend(str(v) for v in items)

    walk("", detail)
    return out


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _log_persons_shown(exc, context) -> None:
    """An error that names a person (a duplicate document's holder) is a read of that person."""
    from ventanilla.core.exceptions import persons_shown
    from ventanilla.privacy.services import access_record

    request = context.get("request")
    shown = persons_shown(exc)
    if shown and request is not None and request.user.is_authenticated:
        view = context.get("view")
        name = f"api.{getattr(view, 'basename', 'error')}.{getattr(view, 'action', '')}"
        access_record(
            actor=request.user,
            persons=shown,
            channel="api",
            view=name,
            path=request.get_full_path(),
        )


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        _log_persons_shown(exc, context)
        code = _DOMAIN_STATUS.get(type(exc), 400)
        return Response(error_body(exc.code, exc.message, exc.field_errors), status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.values()))[0] if fields else _("Invalid input.")
        response.data = error_body("invalid", first, fields)
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(str(code), str(detail))
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response
