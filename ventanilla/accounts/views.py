import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ventanilla.accounts import selectors, services
from ventanilla.accounts.forms import (
    LoginForm,
    OrganizationForm,
    OtpTokenForm,
    StyledPasswordChangeForm,
    UserEditForm,
    UserForm,
)
from ventanilla.accounts.models import User
from ventanilla.accounts.permissions import Cap
from ventanilla.core.exceptions import DomainError
from ventanilla.core.views import add_domain_errors, require_cap


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user)
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
def two_factor_setup(request):
    """Enrol a TOTP device: show the QR code, confirm it with one code."""
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("home")
        form.add_error(
            "token", _("That code is not valid. Check your phone's clock and try again.")
        )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#212529")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": device.config_url.split("secret=")[1].split("&")[0],
        },
    )


@login_required
def two_factor_verify(request):
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"].strip()):
                otp_login(request, device)
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(
                    target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    target = "home"  # never send a freshly verified session off-site
                return redirect(target)
        form.add_error("token", _("That code is not valid. Try the newest code in your app."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@require_cap(Cap.MANAGE_USERS)
def user_list(request):
    return render(request, "accounts/user_list.html", {"users": selectors.users_for_admin()})


@require_cap(Cap.MANAGE_USERS)
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_cap(Cap.MANAGE_USERS)
def user_edit(request, user_uuid):
    user = get_object_or_404(User, uuid=user_uuid)
    initial = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organization": user.organization,
        "roles": user.roles,
        "is_active": user.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("username")
        try:
            services.user_update(actor=request.user, user=user, **data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s updated.") % {"name": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "edited": user})


@require_POST
@require_cap(Cap.MANAGE_USERS)
def user_reset_password(request, user_uuid):
    user = get_object_or_404(User, uuid=user_uuid)
    temporary = services.user_reset_password(actor=request.user, user=user)
    messages.warning(
        request,
        _(
            "Temporary password for %(name)s: %(password)s — give it to them "
            "in person; they must change it at login."
        )
        % {"name": user.username, "password": temporary},
    )
    return redirect(reverse("accounts:user_list"))


@require_cap(Cap.MANAGE_USERS)
def organization_list(request):
    return render(
        request,
        "accounts/organization_list.html",
        {"organizations": selectors.organizations_with_user_counts()},
    )


@require_cap(Cap.MANAGE_USERS)
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request, _("Organization %(name)s created.") % {"name": organization.name}
            )
            return redirect("accounts:organization_list")
    return render(request, "accounts/organization_form.html", {"form": form})
