from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import RELEASE_FIELDS, ChildForm, RecordForm
from liaison.core.querysets import visible
from liaison.events.models import ContextEvent, DateFlag, Event, Participant
from liaison.geo.models import Subdivision

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FIELDS = ["start_date", "end_date", "period", "date_as_written", "date_flags"]


class DatedForm(RecordForm):
    """Dates as known, with the flags of what does not add up chosen from a list."""

    date_flags = forms.MultipleChoiceField(
        label=_("date flags"),
        choices=DateFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        # Keep flags set elsewhere (by the intake) that the list does not know.
        known = set(DateFlag.values)
        extra = [(f, f) for f in getattr(self.instance, "date_flags", None) or [] if f not in known]
        flags: Any = self.fields["date_flags"]
        flags.choices = [*DateFlag.choices, *extra]


def regions_for(user: Any, form: RecordForm, model: type[Any]) -> QuerySet[Any]:
    """Regions worth offering: those of the country chosen (or posted), of the countries
    the user's records of `model` are in, and the current one (never all five thousand)."""
    countries = [form.instance.country_id]
    if form.is_bound:
        posted = str(form.data.get(form.add_prefix("country")) or "")
        countries.append(int(posted) if posted.isdigit() else None)
    used = visible(model, user).exclude(country=None).values("country")
    wanted = [c for c in countries if c]
    return Subdivision.objects.filter(
        Q(country__in=used) | Q(country__in=wanted) | Q(pk=form.instance.subdivision_id)
    )


class EventForm(DatedForm):
    picker_fields = ("venue", "organisers", "activity")

    class Meta:
        model = Event
        fields = [
            "title", "kind", "topic", "description", *DATE_FIELDS, "country", "subdivision",
            "locality", "venue", "organisers", "activity", *RELEASE_FIELDS,
        ]  # fmt: skip
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        region: Any = self.fields["subdivision"]
        region.queryset = regions_for(self.user, self, Event)


class ParticipantForm(ChildForm):
    picker_fields = ("person", "organization")

    class Meta:
        model = Participant
        fields = ["person", "organization", "role", "capacity", "attended"]


ParticipantFormSet = forms.inlineformset_factory(
    Event, Participant, form=ParticipantForm, extra=3, can_delete=True
)


class ContextEventForm(DatedForm):
    picker_fields = ("actors",)

    class Meta:
        model = ContextEvent
        fields = [
            "title_fr", "title_en", "kind", "description", *DATE_FIELDS, "country", "actors",
            *RELEASE_FIELDS,
        ]  # fmt: skip
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
