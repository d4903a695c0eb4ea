"""Django admin for the city's programme staff: campaigns, challenges, events, bonus days,
coupons, courses and walking partners. Step rows and accruals are data, not edited by hand."""

from django.contrib import admin

from .models import (
    AccrualRun,
    BonusDay,
    Challenge,
    Coupon,
    Course,
    DonationCampaign,
    Event,
    StepImport,
    WalkingPartner,
)


@admin.register(DonationCampaign)
class DonationCampaignAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "sponsor",
        "beneficiary",
        "budget_won",
        "spent_won",
        "starts_on",
        "ends_on",
    ]
    readonly_fields = ["spent_won", "donated_steps", "donors"]  # changed only by donations


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "sponsor", "target_steps", "pledge_won", "starts_on", "ends_on"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "on", "place", "capacity"]


@admin.register(BonusDay)
class BonusDayAdmin(admin.ModelAdmin):
    list_display = ["name", "multiplier", "day_of_month", "starts_on", "ends_on"]


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ["title", "merchant", "price_mileage", "stock", "sold", "expires_on", "active"]
    readonly_fields = ["sold"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "district", "length_km", "minutes"]


admin.site.register(WalkingPartner)


@admin.register(StepImport)
class StepImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "partner", "channel", "rows_accepted", "rows_rejected"]

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(AccrualRun)
class AccrualRunAdmin(admin.ModelAdmin):
    list_display = [
        "on",
        "started_at",
        "finished_at",
        "chunks_done",
        "chunks_total",
        "member_days",
        "mileage_total",
        "skipped",
    ]

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
