"""The intake's forms: documents handed in (files or a pasted text) and a proposal's
fields as the reviewer corrects them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core import access
from liaison.core.choices import Release
from liaison.core.models import Marking, Source, Workspace
from liaison.events.models import partial_iso_date
from liaison.geo.models import Country
from liaison.intake.models import IntakeDocument, ProposalKind
from liaison.partners.choices import OrganizationKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,.pdf,.docx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    documents = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("Text, HTML, PDF or DOCX; several at once if you like."),
    )
    text = forms.CharField(
        label=_("Or paste a text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    url = forms.URLField(
        label=_("URL"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_("Kept with the document; nothing is fetched from it."),
    )
    published_on = forms.DateField(label=_("Publication date"), required=False, widget=DATE_WIDGET)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect")), ("fr", _("French")), ("en", _("English"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Source.Kind.choices, initial=Source.Kind.OTHER
    )
    owner = forms.ModelChoiceField(label=_("Owner workspace"), queryset=Workspace.objects.none())
    marking = forms.ModelChoiceField(
        label=_("Marking"), queryset=Marking.objects.all(), required=False
    )
    # Released by name needs the workspaces named: that is done on the records themselves.
    release = forms.ChoiceField(
        label=_("Release"),
        choices=[c for c in Release.choices if c[0] != Release.NAMED],
        initial=Release.PRIVATE,
    )

    def __init__(self, *args: Any, user: Any, workspace: Workspace | None = None, **kw: Any):
        super().__init__(*args, **kw)
        owner: Any = self.fields["owner"]
        owner.queryset = Workspace.objects.filter(
            pk__in=access.writable_workspace_ids(user, IntakeDocument)
        )
        if workspace is not None:
            self.initial.setdefault("owner", workspace.pk)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("documents") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Choose at least one file or paste a text."))
        return cleaned


# The fields a reviewer may correct, per kind of proposal.
PROPOSAL_FIELDS: dict[str, list[tuple[str, Any]]] = {
    ProposalKind.ORGANIZATION: [
        ("name", _("name")), ("acronym", _("acronym")), ("aliases", _("aliases")),
        ("kind", _("kind")), ("country", _("country")),
    ],
    ProposalKind.PERSON: [
        ("name", _("full name")), ("rank", _("rank or title")), ("position", _("position")),
        ("organization", _("organisation")),
    ],
    ProposalKind.POSITION: [
        ("person", _("person")), ("title", _("title")), ("organization", _("organisation")),
    ],
    ProposalKind.PLACE: [("name", _("name")), ("country", _("country"))],
    ProposalKind.EVENT: [
        ("title", _("title")), ("type", _("type")), ("start", _("start")), ("end", _("end")),
        ("date_as_written", _("date as written")), ("place", _("place")),
        ("donor", _("donors")), ("beneficiary", _("beneficiaries")),
    ],
}  # fmt: skip
PROPOSAL_FIELDS[ProposalKind.ACTIVITY] = PROPOSAL_FIELDS[ProposalKind.EVENT]
PROPOSAL_FIELDS[ProposalKind.AGREEMENT] = [
    ("title", _("title")), ("start", _("signature date")), ("donor", _("parties")),
    ("beneficiary", _("other parties")),
]  # fmt: skip
DATE_FIELDS = {"start", "end"}


def type_choices() -> list[tuple[str, Any]]:
    """The kinds of activity the pipeline tells apart (IATI-like types, plus agreement)."""
    from liaison.activities.choices import ActivityType

    return [*ActivityType.choices, ("agreement", _("Agreement"))]


class ProposalForm(forms.Form):
    """A proposal's fields, pre-filled with what the pipeline read."""

    def __init__(self, data: Any = None, *, proposal: Any) -> None:
        initial = {
            name: ", ".join(value) if isinstance(value, list) else value
            for name, value in proposal.fields.items()
        }
        super().__init__(data, initial=initial, prefix=f"p{proposal.pk}")
        for name, label in PROPOSAL_FIELDS[proposal.kind]:
            if name == "type":
                self.fields[name] = forms.ChoiceField(label=label, choices=type_choices())
                continue
            if name == "kind":
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=[("", "—"), *OrganizationKind.choices], required=False
                )
                continue
            validators = [partial_iso_date] if name in DATE_FIELDS else []
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=500, validators=validators
            )
            if name in DATE_FIELDS:
                self.fields[name].help_text = _("YYYY, YYYY-MM or YYYY-MM-DD")
            if name == "country":
                self.fields[name].help_text = _("Its ISO code: ML, FR, US...")


def shown_fields(proposal: Any) -> list[tuple[Any, str, Any]]:
    """(label, name, value) of the fields a proposal fills, in the reviewer's words."""
    labels = dict(PROPOSAL_FIELDS.get(proposal.kind, []))
    labels["date_flags"] = _("date flags")
    # Values as the reviewer knows them: a type's label, a country's name (not its code).
    types = dict(type_choices())
    rows = []
    for name, value in proposal.fields.items():
        if value in ("", None, []):
            continue
        if name == "type":
            value = types.get(value, value)
        elif proposal.kind == ProposalKind.ORGANIZATION and name == "kind":
            value = dict(OrganizationKind.choices).get(value, value)
        elif name == "country" and isinstance(value, str):
            country = Country.objects.filter(alpha2__iexact=value).first()
            value = country.name if country is not None else value
        rows.append((labels.get(name, name), name, value))
    return rows
