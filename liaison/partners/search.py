from liaison.core.search import register
from liaison.partners.models import Organization, Person, Position

register(
    Organization,
    ["name_fr", "name_en", "acronym_fr", "acronym_en", "aliases", "description"],
)
register(Person, ["full_name", "given_names", "family_name", "aliases", "rank", "description"])
register(Position, ["title_fr", "title_en", "person__full_name", "organization__name_fr"])
