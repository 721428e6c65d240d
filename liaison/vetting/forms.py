from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import RELEASE_FIELDS, RecordForm
from liaison.vetting.models import CourtesyCheck, HitsOn, VettingBatch, VettingRequest


class VettingRequestForm(RecordForm):
    """Who is vetted, for what, and the file's release. The decision (status, reasons,
    evidence, who decided, validity) is not in this form: the file page's decision forms
    take it (services.decide, suspend, cancel, reinstate), and the subject is fixed once
    the file has left the queue (VettingRequest.locked_fields)."""

    picker_fields = ("subject_person", "subject_organization", "activity", "event")

    class Meta:
        model = VettingRequest
        fields = [
            "subject_person", "subject_organization", "activity", "enrollment", "event",
            "requested_on", "batch", *RELEASE_FIELDS,
        ]  # fmt: skip
        widgets = {"requested_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        enrollment: Any = self.fields["enrollment"]
        enrollment.queryset = enrollment.queryset.select_related("person", "session__course")
        if self.instance.pk is None:
            self.initial.setdefault("requested_on", timezone.localdate())
        for name in self.instance.locked_fields():
            if name in self.fields:
                # Shown, never taken from the request: a disabled field keeps its value.
                self.fields[name].disabled = True


class DecisionForm(forms.Form):
    """An officer's decision on a file (services.decide, or services.suspend for a
    suspension); the choices are the moves its state allows."""

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
    conditions = forms.CharField(
        label=_("Conditions of the approval"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required for an approval with conditions."),
    )
    hits_on = forms.ChoiceField(
        label=_("Derogatory information on"),
        choices=[("", "---------"), *HitsOn.choices],
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


class CloseForm(forms.Form):
    """Cancel an open file, or reinstate a suspended approval: a written reason."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class VettingBatchForm(RecordForm):
    """A batch's reference and notes; its status moves on its page (services)."""

    class Meta:
        model = VettingBatch
        fields = ["reference", "notes", *RELEASE_FIELDS]


class RemediationForm(forms.Form):
    description = forms.CharField(label=_("Remediation"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}))


class CourtesyCheckForm(forms.ModelForm):
    class Meta:
        model = CourtesyCheck
        fields = ["section", "consulted", "checked_on", "outcome", "notes"]
        widgets = {
            "checked_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class BatchAddForm(forms.Form):
    """Open requests to put in a batch (their ids)."""

    requests = forms.TypedMultipleChoiceField(
        label=_("Open requests"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, choices: list[tuple[int, str]], *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field: Any = self.fields["requests"]
        field.choices = choices
