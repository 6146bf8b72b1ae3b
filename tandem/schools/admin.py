from django.contrib import admin

from .models import District, Membership, School


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "district"]
    list_filter = ["district", "role"]
    search_fields = ["user__email", "user__display_name"]
    raw_id_fields = ["user"]
