"""Forms of agreements, activities, requests and assignments, and of an activity's
child records (edited inline on the activity's page).

Pickers offer only what the user may see; a link the record already has to a record the
user may not see is neither shown nor lost (core.forms: RecordForm and ChildForm).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import get_language

from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Agreement,
    Assignment,
    BudgetLine,
    Indicator,
    Objective,
    Request,
    Transaction,
)
from liaison.core.forms import RELEASE_FIELDS, ChildForm, RecordForm
from liaison.core.querysets import visible
from liaison.geo.models import Country, Subdivision


def _date_inputs(form: forms.BaseForm) -> None:
    """The browser's date picker for every date field (ISO values, as it expects)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DatedRecordForm(RecordForm):
    """A record's form, with the browser's date picker."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _date_inputs(self)


class AgreementForm(DatedRecordForm):
    picker_fields = ("parties",)

    class Meta:
        model = Agreement
        fields = [
            "title", "reference", "parties", "signed_on", "valid_from", "valid_until", "scope",
            "text", *RELEASE_FIELDS,
        ]  # fmt: skip


class ActivityForm(DatedRecordForm):
    picker_fields = ("agreement", "parent")

    class Meta:
        model = Activity
        fields = [
            "title", "activity_type", "sector", "status", "description", "agreement",
            "parent", "planned_start", "planned_end", "actual_start", "actual_end", "period",
            "date_as_written", "currency", "iati_identifier", "external_id", *RELEASE_FIELDS,
        ]  # fmt: skip


class RequestForm(DatedRecordForm):
    picker_fields = ("requester", "answered_by")

    class Meta:
        model = Request
        fields = [
            "title", "description", "requester", "received_on", "received_period", "due_on",
            "urgency", "status", "answered_by", *RELEASE_FIELDS,
        ]  # fmt: skip


class AssignmentForm(DatedRecordForm):
    picker_fields = ("person", "organization", "sending_organization", "activity")

    class Meta:
        model = Assignment
        fields = [
            "person", "role", "organization", "sending_organization", "activity", "start_date",
            "end_date", *RELEASE_FIELDS,
        ]  # fmt: skip


# --- an activity's child records ---------------------------------------------------


class ActivityChildForm(ChildForm):
    """A child of an activity; knows the activity (unsaved when the activity is new)."""

    def __init__(self, *args: Any, activity: Activity | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activity = activity
        _date_inputs(self)


class ParticipationForm(ActivityChildForm):
    picker_fields = ("organization",)

    class Meta:
        model = ActivityParticipation
        fields = ["organization", "role"]


class PlaceForm(ActivityChildForm):
    """Regions offered are those of the countries of the activity's places (and of the
    country given in this row): save a new country once to choose among its regions."""

    class Meta:
        model = ActivityPlace
        fields = ["country", "subdivision", "locality"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = (get_language() or "fr").startswith("en")
        country: Any = self.fields["country"]
        country.queryset = Country.objects.order_by("name_en" if english else "name_fr")
        countries: set[Any] = set()
        if self.instance.country_id is not None:
            countries.add(self.instance.country_id)
        given = self.data.get(self.add_prefix("country")) if self.is_bound else None
        if given and str(given).isdigit():
            countries.add(int(given))
        if self.activity is not None and self.activity.pk is not None:
            countries.update(
                ActivityPlace.objects.filter(activity=self.activity).values_list(
                    "country_id", flat=True
                )
            )
        subdivision: Any = self.fields["subdivision"]
        subdivision.queryset = Subdivision.objects.filter(country__in=countries)


class BudgetLineForm(ActivityChildForm):
    class Meta:
        model = BudgetLine
        fields = ["kind", "period_start", "period_end", "amount", "currency", "description"]


class TransactionForm(ActivityChildForm):
    picker_fields = ("provider", "receiver")

    class Meta:
        model = Transaction
        fields = [
            "transaction_type", "date", "amount", "currency", "provider", "receiver",
            "description",
        ]  # fmt: skip


class ObjectiveForm(ActivityChildForm):
    class Meta:
        model = Objective
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class IndicatorForm(ActivityChildForm):
    """An indicator measures one of the activity's own objectives (saved ones)."""

    class Meta:
        model = Indicator
        fields = ["objective", "title", "unit", "baseline", "baseline_year", "target", "actual"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objective: Any = self.fields["objective"]
        if self.activity is not None and self.activity.pk is not None:
            objective.queryset = visible(Objective, self.user).filter(activity=self.activity)
        else:
            objective.queryset = Objective.objects.none()

    def save(self, commit: bool = True) -> Indicator:
        indicator: Indicator = super().save(commit=False)
        # Its objective may have been deleted in the same save (objectives come first).
        objective_id = indicator.objective_id
        if objective_id is not None and not Objective.objects.filter(pk=objective_id).exists():
            indicator.objective = None
        if commit:
            indicator.save()
        return indicator


class ActivityChildFormSet(BaseInlineFormSet[Any, Any, Any]):
    """Passes the activity to each form (for choices that depend on it)."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "activity": self.instance}


def _formset(model: type[models.Model], form: type[ActivityChildForm]) -> Any:
    return inlineformset_factory(
        Activity, model, form=form, formset=ActivityChildFormSet, extra=1, can_delete=True
    )


# Shown and saved in this order, in the activity's transaction.
ACTIVITY_FORMSETS: dict[str, Any] = {
    "participations": _formset(ActivityParticipation, ParticipationForm),
    "places": _formset(ActivityPlace, PlaceForm),
    "budget": _formset(BudgetLine, BudgetLineForm),
    "transactions": _formset(Transaction, TransactionForm),
    "objectives": _formset(Objective, ObjectiveForm),
    "indicators": _formset(Indicator, IndicatorForm),
}
