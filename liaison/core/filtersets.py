"""Filterset bases shared by the list pages and the API (one filterset per model)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Model, Q, QuerySet
from django.forms import NullBooleanSelect, SelectMultiple
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import DateRangeWidget
from rest_framework.request import Request

from liaison.core.choices import Release
from liaison.core.models import Marking, Workspace
from liaison.core.querysets import visible
from liaison.core.text import fold


class AnyYesNo(NullBooleanSelect):
    """A yes/no filter whose empty choice reads "any", not "Unknown"."""

    def __init__(self, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("Any")),
            ("true", _("Yes")),
            ("false", _("No")),
        ]


class LabelledDateRange(DateRangeWidget):
    """Two date fields, each with its label ("from", "to"), as the browser's date picker."""

    template_name = "core/widgets/date_range.html"

    def __init__(self, attrs: Any = None) -> None:
        super().__init__(attrs)
        for widget in self.widgets:
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["from_label"] = _("from")
        context["to_label"] = _("to")
        return context


def _readable_widgets(flt: Any) -> None:
    if isinstance(flt, django_filters.BooleanFilter):
        flt.extra["widget"] = AnyYesNo
    elif isinstance(flt, django_filters.DateFromToRangeFilter):
        flt.extra["widget"] = LabelledDateRange


class RecordFilterSet(django_filters.FilterSet):
    """Search, owner, marking and release for every record; apps add their fields."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    owner = django_filters.ModelMultipleChoiceFilter(
        queryset=Workspace.objects.all(), label=_("Owner workspace")
    )
    marking = django_filters.ModelMultipleChoiceFilter(
        queryset=Marking.objects.all(), label=_("Marking")
    )
    release = django_filters.MultipleChoiceFilter(choices=Release.choices, label=_("Release"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for flt in self.filters.values():
            restrict_filter(flt)
            _readable_widgets(flt)

    @property
    def form(self) -> Any:
        form = super().form
        if not getattr(self, "_choices_named", False):
            # Chosen records are named without what the user may not see (core.links).
            from liaison.core.forms import fast_selects, name_choices

            name_choices(form, getattr(self.request, "user", None))
            by_name_in_the_readers_language(form)
            if not isinstance(self.request, Request):  # the API renders no form
                pickers_for_long_choices(form)
            fast_selects(form)
            self._choices_named = True
        return form

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Records whose text, as the user may read it, holds every word."""
        from liaison.core.search import visible_matches

        words = fold(value).split()
        if not words:
            return queryset
        return visible_matches(queryset, getattr(self.request, "user", None), words)


# A filter offering more records than this (the donors, the beneficiaries... of a large
# portfolio) is searched as the user types rather than listed with the page.
LONG_CHOICES = 60


def pickers_for_long_choices(form: Any) -> None:
    """Record choices longer than LONG_CHOICES become search-as-you-type pickers, which
    render only the chosen records: the page then weighs the same at any size of data.
    The filter still accepts only its own choices. One bounded query per such field."""
    from liaison.core.forms import RecordPicker, RecordPickerMultiple
    from liaison.core.search import REGISTRY

    for field in form.fields.values():
        queryset: Any = getattr(field, "queryset", None)
        model = getattr(queryset, "model", None)
        if model not in REGISTRY or isinstance(field.widget, RecordPicker):
            continue
        if queryset.order_by()[: LONG_CHOICES + 1].count() <= LONG_CHOICES:
            continue
        multiple = isinstance(field.widget, SelectMultiple)
        field.widget = (RecordPickerMultiple if multiple else RecordPicker)(model)
        field.widget.choices = field.choices


def by_name_in_the_readers_language(form: Any) -> None:
    """Countries (and regions) listed by their name in the reader's language, accents
    aside, not by ISO code."""
    from liaison.core.ordering import alphabetical, localized

    for field in form.fields.values():
        queryset: Any = getattr(field, "queryset", None)
        label = getattr(getattr(queryset, "model", None), "_meta", None)
        label = label.label_lower if label is not None else ""
        if label == "geo.country":
            field.queryset = queryset.order_by(localized("name"), "pk")
        elif label == "geo.subdivision":
            field.queryset = queryset.order_by(alphabetical("name"), "pk")


def restrict_filter(flt: Any) -> None:
    """Filters on records offer only what the user may see, through a search-as-you-type
    picker rather than a list of every record (which would leak and weigh on a slow link)."""
    from liaison.core.forms import RecordPicker, RecordPickerMultiple
    from liaison.core.search import REGISTRY

    model = getattr(getattr(flt, "queryset", None), "model", None)
    if model is None or not hasattr(model._default_manager, "visible_to"):
        return
    flt.queryset = visible_choices(model)
    if model in REGISTRY:
        multiple = isinstance(flt, django_filters.ModelMultipleChoiceFilter)
        flt.extra["widget"] = (RecordPickerMultiple if multiple else RecordPicker)(model)


def date_range_filter(field: str, label: Any) -> django_filters.DateFromToRangeFilter:
    return django_filters.DateFromToRangeFilter(field_name=field, label=label)


def any_of(*conditions: Q) -> Q:
    result = Q()
    for condition in conditions:
        result |= condition
    return result


def visible_choices(
    model: type[Model],
    *select_related: str,
    restrict: Callable[[QuerySet[Any], Any], QuerySet[Any]] | None = None,
) -> Callable[[Any], QuerySet[Any]]:
    """A filter's choices: the records of `model` the requesting user may see.

    For short lists (schools, courses, organisers of events...); long ones are filtered
    by id, as the links of detail pages do.
    """

    def choices(request: Any) -> QuerySet[Any]:
        user = getattr(request, "user", None)
        queryset = visible(model, user)
        if select_related:
            queryset = queryset.select_related(*select_related)
        return restrict(queryset, user) if restrict is not None else queryset

    return choices
