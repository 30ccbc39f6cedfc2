"""Admin for reference data: delegations, their people, presidencies and coordinator roles."""

from django.contrib import admin

from delegations.models import CoordinatorRole, Delegation, DelegationAlias, Presidency, Representative, ThematicArea


class DelegationAliasInline(admin.TabularInline):
    model = DelegationAlias
    extra = 0


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    fields = ["honorific", "name", "position", "email", "phone", "user"]
    autocomplete_fields = ["user"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DelegationAliasInline, RepresentativeInline]


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ["name", "honorific", "delegation", "position", "user"]
    list_filter = ["delegation__kind"]
    search_fields = ["name", "delegation__name", "delegation__aliases__name"]
    autocomplete_fields = ["delegation", "user"]
    list_select_related = ["delegation", "user"]


class CoordinatorRoleInline(admin.TabularInline):
    model = CoordinatorRole
    extra = 0
    autocomplete_fields = ["delegation"]


@admin.register(Presidency)
class PresidencyAdmin(admin.ModelAdmin):
    list_display = ["name", "delegation", "starts_on", "ends_on"]
    search_fields = ["name", "delegation__name"]
    autocomplete_fields = ["delegation"]
    inlines = [CoordinatorRoleInline]


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(CoordinatorRole)
class CoordinatorRoleAdmin(admin.ModelAdmin):
    list_display = ["thematic_area", "delegation", "presidency"]
    list_filter = ["presidency", "thematic_area"]
    search_fields = ["delegation__name", "thematic_area__name"]
    autocomplete_fields = ["delegation", "presidency", "thematic_area"]
    list_select_related = ["thematic_area", "delegation", "presidency"]
