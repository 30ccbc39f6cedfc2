"""Who sits at the committee's table: delegations, their people, presidencies and coordinator roles."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Delegation(models.Model):
    class Kind(models.TextChoices):
        STATE_PARTY = "state_party", _("State Party")
        SIGNATORY = "signatory", _("Signatory State")
        STATE_NOT_PARTY = "state_not_party", _("State not Party")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        SECRETARIAT = "secretariat", _("Secretariat")

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="delegation_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="delegation_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "state_party",
                        "signatory",
                        "state_not_party",
                        "international_organisation",
                        "civil_society",
                        "secretariat",
                    ]
                ),
                name="delegation_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("portal:delegation_detail", args=[self.slug])

    @property
    def is_state(self):
        return self.kind in (self.Kind.STATE_PARTY, self.Kind.SIGNATORY, self.Kind.STATE_NOT_PARTY)


class DelegationAlias(models.Model):
    """Another name a record may use for a delegation ("Lao People's Democratic Republic")."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "delegation aliases"

    def __str__(self):
        return self.name


class Representative(models.Model):
    """A person of a delegation. Contact fields are for the ISU only and never rendered publicly."""

    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="representatives")
    honorific = models.CharField(max_length=40, blank=True, help_text='As written in the record, e.g. "H.E. Mr."')
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representative",
        help_text="The portal account of this person; a coordinator's account belongs to their delegation.",
    )

    class Meta:
        ordering = ["delegation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "name"], name="representative_unique_per_delegation"),
            models.CheckConstraint(condition=~Q(name=""), name="representative_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.honorific} {self.name}".strip()


class PresidencyQuerySet(models.QuerySet):
    def current(self, on_date):
        """The presidency whose term covers on_date (the latest one to start, if terms touch)."""
        return (
            self.filter(starts_on__lte=on_date)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on_date))
            .order_by("-starts_on")
            .first()
        )


class Presidency(models.Model):
    """The State presiding the committee for one term, named after its Meeting of States Parties."""

    name = models.CharField(max_length=20, unique=True, help_text='e.g. "9MSP"')
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="presidencies")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty while the term runs.")

    objects = PresidencyQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name_plural = "presidencies"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="presidency_ends_after_start",
                violation_error_message="A presidency must end after it starts.",
            ),
            models.UniqueConstraint(fields=["starts_on"], name="presidency_unique_start"),
            models.CheckConstraint(condition=~Q(name=""), name="presidency_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} Presidency ({self.delegation})"

    def get_absolute_url(self):
        return reverse("portal:presidency_detail", args=[self.name])


class ThematicArea(models.Model):
    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the standard agenda.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class CoordinatorRole(models.Model):
    """A delegation coordinating a thematic area for one presidency's term."""

    presidency = models.ForeignKey(Presidency, on_delete=models.CASCADE, related_name="coordinator_roles")
    thematic_area = models.ForeignKey(ThematicArea, on_delete=models.PROTECT, related_name="coordinator_roles")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="coordinator_roles")
    position = models.PositiveSmallIntegerField(default=0, help_text='Order as named: "Panama & Chile".')

    class Meta:
        ordering = ["thematic_area__position", "position", "delegation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["presidency", "thematic_area", "delegation"],
                name="coordinator_role_unique",
                violation_error_message="This delegation already coordinates this area for this term.",
            ),
        ]

    def __str__(self):
        return f"{self.delegation} — {self.thematic_area} ({self.presidency.name})"
