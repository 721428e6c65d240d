"""Organisations (a tree), persons and the positions they hold.

They match FollowTheMoney's Organization/PublicBody, Person and Position/Occupancy.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.core.models import OwnedModel, date_order_constraint, localized
from liaison.core.orgids import ref_field, type_field
from liaison.partners.choices import Gender, OrganizationKind


class Organization(OwnedModel):
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    acronym_fr = models.CharField(_("acronym (French)"), max_length=40, blank=True)
    acronym_en = models.CharField(_("acronym (English)"), max_length=40, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.OTHER
    )
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("country"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    external_id = models.CharField(_("external identifier"), max_length=100, blank=True)
    iati_ref = ref_field()
    iati_type = type_field()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_fr", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_fr="") | ~Q(name_en=""),
                name="organization_has_a_name",
                violation_error_message=_("An organisation needs a French or an English name."),
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("An organisation cannot be its own parent."),
            ),
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~Q(external_id=""),
                name="organization_external_id_unique",
                violation_error_message=_(
                    "Another record of this workspace has this external identifier."
                ),
            ),
        ]

    def __str__(self) -> str:
        name = localized(self, "name")
        acronym = localized(self, "acronym")
        return f"{name} ({acronym})" if acronym and acronym != name else name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def acronym(self) -> str:
        return localized(self, "acronym")

    @property
    def ancestors(self) -> list[Organization]:
        """From the root of the tree down to the parent (guarded against cycles)."""
        chain: list[Organization] = []
        node = self.parent
        while node is not None and node not in chain and len(chain) < 20:
            chain.append(node)
            node = node.parent
        return chain[::-1]


class Person(OwnedModel):
    full_name = models.CharField(
        _("full name"), max_length=300, help_text=_("Without rank or title.")
    )
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN, blank=True
    )
    nationality = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nationals",
        verbose_name=_("nationality"),
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    external_id = models.CharField(_("external identifier"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_name", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(full_name=""),
                name="person_has_a_name",
                violation_error_message=_("A person needs a name."),
            ),
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~Q(external_id=""),
                name="person_external_id_unique",
                violation_error_message=_(
                    "Another record of this workspace has this external identifier."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank} {self.full_name}".strip() if self.rank else self.full_name


class Position(OwnedModel):
    """A role held by a person in an organisation, from a date to a date."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("organisation"),
    )
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    external_id = models.CharField(_("external identifier"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-start_date"]
        constraints = [
            date_order_constraint("start_date", "end_date", "position_dates_order"),
            models.CheckConstraint(
                condition=~Q(title_fr="") | ~Q(title_en=""),
                name="position_has_a_title",
                violation_error_message=_("A position needs a French or an English title."),
            ),
            models.UniqueConstraint(
                fields=["person", "organization", "title_fr", "title_en"],
                condition=Q(is_current=True),
                name="position_one_current_per_role",
                violation_error_message=_(
                    "This person already holds this position: end the current one first."
                ),
            ),
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~Q(external_id=""),
                name="position_external_id_unique",
                violation_error_message=_(
                    "Another record of this workspace has this external identifier."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name}: {localized(self, 'title')} ({self.organization.name})"

    @property
    def title(self) -> str:
        return localized(self, "title")
