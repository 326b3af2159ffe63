"""Domain exceptions raised by services and mapped to one error shape (UI and API)."""

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    code = "error"

    def __init__(self, message, *, field_errors: dict | None = None, persons_shown=()):
        super().__init__(str(message))
        self.message = message
        self.field_errors = field_errors or {}
        # Persons the message names (e.g. the holder of a duplicate document): the caller
        # that shows the message writes them to the access log.
        self.persons_shown = list(persons_shown)


def persons_shown(exc: BaseException) -> list:
    """Persons named by this error or by the errors it was raised from."""
    found, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        found.extend(getattr(exc, "persons_shown", ()))
        exc = exc.__cause__ or exc.__context__
    return found


class InvalidInput(DomainError):
    """The input breaks a rule; nothing was changed."""

    code = "invalid"

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> "InvalidInput":
        if hasattr(exc, "error_dict"):
            fields = {
                name: [str(m) for e in errs for m in e.messages]
                for name, errs in exc.error_dict.items()
            }
            general = fields.pop("__all__", [])
            message = general[0] if general else next(iter(fields.values()))[0]
            return cls(message, field_errors=fields | ({"__all__": general} if general else {}))
        return cls(exc.messages[0] if exc.messages else str(exc))


class Conflict(DomainError):
    """The record changed or exists already; the caller must look again."""

    code = "conflict"


class PermissionDenied(DomainError):
    """The actor may not do this."""

    code = "forbidden"
