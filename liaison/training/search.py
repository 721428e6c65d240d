from liaison.core.search import register
from liaison.training.models import Course, School, Session

register(
    School,
    ["organization__name_fr", "organization__name_en", "organization__acronym_fr", "description"],
)
register(Course, ["title_fr", "title_en", "code", "topic"])
register(Session, ["name", "course__title_fr"])
