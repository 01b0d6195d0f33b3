from django.contrib import admin

from kotacerdas.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "official_name", "kind", "province", "time_zone"]
    list_filter = ["kind", "time_zone", "province"]
    search_fields = ["code", "name", "official_name"]
    list_select_related = ["province"]
    readonly_fields = ["code"]
