from liaison.core.search import register
from liaison.vetting.models import VettingBatch, VettingRequest

register(VettingRequest, ["subject_person__full_name", "subject_organization__name_fr"])
register(VettingBatch, ["reference", "notes"])
