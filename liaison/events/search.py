from liaison.core.search import register
from liaison.events.models import ContextEvent, Event

register(Event, ["title", "topic", "description", "locality"])
register(ContextEvent, ["title_fr", "title_en", "description"])
