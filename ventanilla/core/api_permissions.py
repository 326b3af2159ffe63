from rest_framework.permissions import BasePermission

from ventanilla.accounts.permissions import has_cap


def cap_required(*caps: str):
    """A DRF permission class requiring every capability (same matrix as the screens)."""

    class _HasCaps(BasePermission):
        def has_permission(self, request, view):
            return all(has_cap(request.user, cap) for cap in caps)

    _HasCaps.__name__ = "Has_" + "_".join(c.replace(".", "_") for c in caps)
    return _HasCaps


def any_cap_required(*caps: str):
    """A DRF permission class requiring at least one of the capabilities."""

    class _HasAnyCap(BasePermission):
        def has_permission(self, request, view):
            return any(has_cap(request.user, cap) for cap in caps)

    _HasAnyCap.__name__ = "HasAny_" + "_".join(c.replace(".", "_") for c in caps)
    return _HasAnyCap


class ActionCaps(BasePermission):
    """Per-action capabilities declared on the view as `action_caps = {action: (caps...)}`."""

    def has_permission(self, request, view):
        caps = view.action_caps.get(view.action, view.action_caps.get("*", ()))
        return request.user.is_authenticated and all(has_cap(request.user, c) for c in caps)
