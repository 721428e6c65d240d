from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import RELEASE_FIELDS, RecordForm
from liaison.vetting.models import VettingRequest

# Statuses that record a decision: who took it and when are kept with the file.
DECISIONS = {
    VettingRequest.Status.APPROVED,
    VettingRequest.Status.DENIED,
    VettingRequest.Status.SUSPENDED,
}


class VettingRequestForm(RecordForm):
    picker_fields = ("subject_person", "subject_organization", "activity", "event")

    class Meta:
        model = VettingRequest
        fields = [
            "subject_person", "subject_organization", "activity", "enrollment", "event",
            "status", "requested_on", "decided_on", "valid_until", "decision_reason",
            "evidence", *RELEASE_FIELDS,
        ]  # fmt: skip
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("requested_on", "decided_on", "valid_until")
        }

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        enrollment: Any = self.fields["enrollment"]
        enrollment.queryset = enrollment.queryset.select_related("person", "session__course")
        if self.instance.pk is None:
            self.initial.setdefault("requested_on", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("status") in DECISIONS and not cleaned.get("decided_on"):
            cleaned["decided_on"] = timezone.localdate()
        return cleaned

    def save(self, commit: bool = True) -> Any:
        decided = self.cleaned_data.get("status") in DECISIONS
        if decided and ("status" in self.changed_data or self.instance.decided_by_id is None):
            self.instance.decided_by = self.user
        return super().save(commit)


class DecisionForm(forms.Form):
    """An officer's move on a file; the choices are the moves its state allows."""

    status = forms.ChoiceField(label=_("Decision"))
    reason = forms.CharField(
        label=_("Reasons for the decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence = forms.CharField(
        label=_("Evidence and sources consulted"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For an approval; one year from the decision when left empty."),
    )

    def __init__(self, request: VettingRequest, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        labels = dict(VettingRequest.Status.choices)
        allowed = VettingRequest.TRANSITIONS.get(request.status, frozenset())
        status: Any = self.fields["status"]
        # No move preselected: the officer chooses one.
        status.choices = [
            ("", "---------"),
            *((s, labels[s]) for s in VettingRequest.Status.values if s in allowed),
        ]


class OverrideForm(forms.Form):
    subject = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the override"), widget=forms.Textarea(attrs={"rows": 2})
    )
