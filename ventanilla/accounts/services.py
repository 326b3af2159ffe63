"""Writes for organizations and staff users."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ventanilla.accounts.choices import Role
from ventanilla.accounts.models import Organization, User
from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.core.audit import audit_record
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied


def _require(actor, cap):
    if actor is not None and not has_cap(actor, cap):
        raise PermissionDenied(_("You do not have permission to do this."))


def _clean_roles(roles) -> list[str]:
    valid = set(Role.values)
    cleaned = []
    for role in roles:
        if role not in valid:
            raise InvalidInput(
                _("Unknown role: %(role)s") % {"role": role},
                field_errors={"roles": [_("Unknown role.")]},
            )
        if role not in cleaned:
            cleaned.append(role)
    if not cleaned:
        raise InvalidInput(
            _("A user needs at least one role."),
            field_errors={"roles": [_("Choose at least one role.")]},
        )
    return cleaned


@transaction.atomic
def organization_create(
    *,
    actor,
    name: str,
    kind: str,
    acronym: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> Organization:
    _require(actor, Cap.MANAGE_USERS)
    org = Organization(
        name=name.strip(),
        kind=kind,
        acronym=acronym.strip(),
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    try:
        org.full_clean()
    except ValidationError as exc:
        raise InvalidInput.from_validation_error(exc) from exc
    org.save()
    audit_record(actor=actor, action="accounts.organization.created", obj=org)
    return org


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    organization: Organization,
    roles: list[str],
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    must_change_password: bool = True,
) -> User:
    """Create a staff user. `actor=None` is reserved for set-up commands (seed, tests)."""
    _require(actor, Cap.MANAGE_USERS)
    roles = _clean_roles(roles)
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(
            _("That username is taken."), field_errors={"username": [_("That username is taken.")]}
        )
    user = User(
        username=username,
        organization=organization,
        roles=roles,
        first_name=first_name,
        last_name=last_name,
        email=email,
        must_change_password=must_change_password,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field_errors={"password": exc.messages}) from exc
    user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
        user.save()
    except ValidationError as exc:
        raise InvalidInput.from_validation_error(exc) from exc
    except IntegrityError as exc:
        raise Conflict(_("That username is taken.")) from exc
    audit_record(
        actor=actor,
        action="accounts.user.created",
        obj=user,
        changes={"roles": roles, "organization": organization.name},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user: User,
    roles: list[str],
    organization: Organization,
    is_active: bool,
    first_name: str,
    last_name: str,
    email: str,
) -> User:
    _require(actor, Cap.MANAGE_USERS)
    roles = _clean_roles(roles)
    if user == actor and Role.ADMINISTRATOR not in roles:
        raise InvalidInput(_("You cannot remove your own administrator role."))
    if user == actor and not is_active:
        raise InvalidInput(_("You cannot deactivate your own account."))
    before = {
        "roles": user.roles,
        "organization": user.organization.name if user.organization else None,
        "is_active": user.is_active,
    }
    user = User.objects.select_for_update().get(pk=user.pk)
    user.roles, user.organization, user.is_active = roles, organization, is_active
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save()
    after = {"roles": roles, "organization": organization.name, "is_active": is_active}
    audit_record(
        actor=actor,
        action="accounts.user.updated",
        obj=user,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    return user


@transaction.atomic
def user_reset_password(*, actor, user: User) -> str:
    """Set a new random temporary password, returned once, to be changed at next login."""
    _require(actor, Cap.MANAGE_USERS)
    temporary = "-".join(secrets.token_urlsafe(4) for _i in range(3))
    user.set_password(temporary)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=actor, action="accounts.user.password_reset", obj=user)
    return temporary


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    audit_record(actor=user, action="accounts.user.password_changed", obj=user)


def api_token_for(*, user: User) -> str:
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=user)
    return token.key
