from ventanilla.accounts.models import Organization, User


def users_for_admin():
    return User.objects.select_related("organization").order_by("organization__name", "username")


def organizations_active():
    return Organization.objects.filter(is_active=True).order_by("name")


def organizations_with_user_counts():
    from django.db.models import Count, Q

    return Organization.objects.annotate(
        active_users=Count("users", filter=Q(users__is_active=True))
    ).order_by("name")
