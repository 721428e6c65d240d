from __future__ import annotations

from typing import Any

from django import forms

from liaison.accountability.models import Implication, Incident
from liaison.core.forms import RELEASE_FIELDS, ChildForm
from liaison.events.forms import DATE_FIELDS, DATE_WIDGET, DatedForm, regions_for


class IncidentForm(DatedForm):
    class Meta:
        model = Incident
        fields = [
            "title", "kind", "status", "established_by", "description", *DATE_FIELDS,
            "country", "subdivision", "locality", *RELEASE_FIELDS,
        ]  # fmt: skip
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        region: Any = self.fields["subdivision"]
        region.queryset = regions_for(self.user, self, Incident)


class ImplicationForm(ChildForm):
    picker_fields = ("person", "organization")

    class Meta:
        model = Implication
        fields = ["organization", "person", "role", "note"]


ImplicationFormSet = forms.inlineformset_factory(
    Incident, Implication, form=ImplicationForm, extra=3, can_delete=True
)
