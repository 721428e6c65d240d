from liaison.accountability.models import Incident
from liaison.core.search import register

register(Incident, ["title", "description", "locality", "established_by"])
