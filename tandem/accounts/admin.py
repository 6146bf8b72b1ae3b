"""The operator's admin: people and API tokens only, never coaching content.

The admin would bypass the privacy policy and the access log, so no content
model is registered here (DESIGN.md, "The privacy model").
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin

from .models import ApiToken, User

# Operators sign in through allauth too: rate limits and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Tandem operator"


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "district", "is_active", "is_staff"]
    list_filter = ["district", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["uuid", "password", "date_joined", "last_login"]
    exclude = ["user_permissions", "groups"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["uuid", "user", "digest", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__email", "name"]
