from liaison.core.forms import RELEASE_FIELDS, RecordForm
from liaison.partners.models import Organization, Person, Position


class OrganizationForm(RecordForm):
    picker_fields = ("parent", "country")

    class Meta:
        model = Organization
        fields = [
            "name_fr", "name_en", "acronym_fr", "acronym_en", "aliases", "kind", "country",
            "parent", "website", "description", "external_id", "iati_ref", "iati_type",
            *RELEASE_FIELDS,
        ]  # fmt: skip


class PersonForm(RecordForm):
    picker_fields = ("nationality",)

    class Meta:
        model = Person
        fields = [
            "full_name", "given_names", "family_name", "aliases", "rank", "gender",
            "nationality", "birth_date", "description", "external_id", *RELEASE_FIELDS,
        ]  # fmt: skip


class PositionForm(RecordForm):
    picker_fields = ("person", "organization")

    class Meta:
        model = Position
        fields = [
            "person", "organization", "title_fr", "title_en", "start_date", "end_date",
            "is_current", *RELEASE_FIELDS,
        ]  # fmt: skip
