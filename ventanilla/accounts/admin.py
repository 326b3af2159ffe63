from django.contrib import admin

from ventanilla.accounts.models import Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "acronym"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "organization", "roles", "is_active"]
    list_filter = ["organization", "is_active"]
    search_fields = ["username", "first_name", "last_name"]
    exclude = ["password"]
