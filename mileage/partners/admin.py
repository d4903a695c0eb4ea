from django.contrib import admin

from .models import ApiKey, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "partner", "name", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "hashed", "created_at", "last_used_at"]
