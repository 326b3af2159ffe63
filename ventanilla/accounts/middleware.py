from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from ventanilla.accounts.permissions import reads_personal_data

_OPEN_PREFIXES = (
    "/static/",
    "/i18n/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/public/",
    "/favicon",
)


class TwoFactorEnforcementMiddleware:
    """Sends staff to verify (or set up) TOTP, and to change a temporary password, first.

    A user who enrolled a device is always asked for a code. A user without one is sent to
    set one up when VENTANILLA_REQUIRE_2FA is on and a role reads personal data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path
        if user.is_authenticated and not path.startswith(_OPEN_PREFIXES):
            target = self._required_step(user)
            if target:
                if path.startswith("/api/"):
                    password = target == reverse("accounts:password_change")
                    return JsonResponse(
                        {
                            "error": {
                                "code": "password_change_required"
                                if password
                                else "two_factor_required",
                                "message": _("Change your temporary password first.")
                                if password
                                else _("Two-factor verification is required."),
                                "fields": {},
                            }
                        },
                        status=403,
                    )
                if path != target:
                    return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _required_step(user) -> str | None:
        if not user.is_verified():
            if user_has_device(user, confirmed=True):
                return reverse("accounts:two_factor_verify")
            if settings.VENTANILLA_REQUIRE_2FA and reads_personal_data(user):
                return reverse("accounts:two_factor_setup")
        if user.must_change_password:
            return reverse("accounts:password_change")
        return None
