from django.contrib import admin

from .models import Crew, TeamChallenge, TeamEntry


@admin.register(Crew)
class CrewAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "code", "created_at")
    search_fields = ("name", "code")
    readonly_fields = ("name_key", "code", "created_by", "created_at")


@admin.register(TeamChallenge)
class TeamChallengeAdmin(admin.ModelAdmin):
    list_display = ("title", "sponsor", "goal_steps", "reward_mileage", "starts_on", "ends_on")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(TeamEntry)
class TeamEntryAdmin(admin.ModelAdmin):
    list_display = ("challenge", "crew", "entered_at", "settled_at", "reached", "rewarded_members")
    readonly_fields = ("settled_at", "total_steps", "reached", "rewarded_members")
