from liaison.activities.models import Activity, Agreement, Assignment, Request
from liaison.core.search import register

register(Activity, ["title", "description", "iati_identifier", "external_id"])
register(Agreement, ["title", "reference", "scope"])
register(Request, ["title", "description"])
register(Assignment, ["role", "person__full_name", "organization__name_fr"])
