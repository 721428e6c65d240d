import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from liaison.core.tables import AlphabeticalColumn, RecordTable
from liaison.partners.models import Organization, Person, Position


class OrganizationTable(RecordTable):
    # empty_values=(): render the other language's name when this one is empty.
    name = AlphabeticalColumn(
        path="name",
        verbose_name=_("name"),
        accessor="name_fr",
        linkify=True,
        order_by=("name_fr", "name_en"),
        empty_values=(),
    )
    acronym = tables.Column(
        verbose_name=_("acronym"), accessor="acronym_fr", order_by="acronym_fr", empty_values=()
    )
    kind = tables.Column(verbose_name=_("kind"))
    country = tables.Column(verbose_name=_("country"))
    parent = tables.Column(verbose_name=_("parent organisation"), linkify=True)

    class Meta(RecordTable.Meta):
        model = Organization
        fields = ("name", "acronym", "kind", "country", "parent")

    default_columns = ("name", "acronym", "kind", "country", "parent")

    def render_name(self, record: Organization) -> str:
        return record.name

    def render_acronym(self, record: Organization) -> str:
        return record.acronym


class PersonTable(RecordTable):
    full_name = tables.Column(verbose_name=_("full name"), linkify=True)
    rank = tables.Column(verbose_name=_("rank"))
    nationality = tables.Column(verbose_name=_("nationality"))

    class Meta(RecordTable.Meta):
        model = Person
        fields = ("full_name", "rank", "nationality")

    default_columns = ("full_name", "rank", "nationality", "owner")


class PositionTable(RecordTable):
    person = tables.Column(verbose_name=_("person"), linkify=True)
    title = tables.Column(
        verbose_name=_("title"), accessor="title_fr", linkify=True, empty_values=()
    )
    organization = tables.Column(verbose_name=_("organisation"), linkify=True)
    start_date = tables.DateColumn(verbose_name=_("start date"), format="SHORT_DATE_FORMAT")
    end_date = tables.DateColumn(verbose_name=_("end date"), format="SHORT_DATE_FORMAT")

    class Meta(RecordTable.Meta):
        model = Position
        fields = ("person", "title", "organization", "start_date", "end_date")

    default_columns = ("person", "title", "organization", "start_date", "end_date")

    def render_title(self, record: Position) -> str:
        return record.title
