from django.contrib import admin

from ventanilla.territory.models import AttentionPoint, City, Locality, OpeningHours


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 1


@admin.register(AttentionPoint)
class AttentionPointAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "locality", "is_active"]
    list_filter = ["kind", "locality"]
    inlines = [OpeningHoursInline]


admin.site.register(City)
admin.site.register(Locality)
