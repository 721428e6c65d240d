"""The intake's writes, for the pages, the command and the background task alike.

- ``queue_documents``: keep each original as a Source, record a document under review,
  and start the background task that reads them (``process_documents``);
- ``process_document``: run the pipeline on one document and store its proposals, all
  or nothing; bad input leaves the document failed with its message and nothing else;
- ``accept`` / ``merge`` / ``reject``: the reviewer's decisions. Only an accepted
  proposal becomes a record, with its Citation to the source (the sentence of its span).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import access
from liaison.core.context import acting_as
from liaison.core.models import Citation, OwnedModel, Source, TaskRun, Workspace
from liaison.core.querysets import visible
from liaison.core.tasks import start, tracked
from liaison.core.text import fold
from liaison.intake import relations
from liaison.intake.models import (
    KIND_ORDER,
    DocumentStatus,
    IntakeDocument,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Rejection,
)

logger = logging.getLogger(__name__)


def max_bytes() -> int:
    """Larger files are refused before anything is stored: the pipeline's limit
    (LIAISON_INTAKE_MAX_BYTES in the environment, 20 MB by default), or the setting."""
    from liaison.intake.pipeline.inputs import max_bytes as pipeline_limit

    return int(getattr(settings, "LIAISON_INTAKE_MAX_BYTES", 0) or pipeline_limit())


class ReviewError(ValueError):
    """A decision that cannot be made as asked; its message is shown to the reviewer."""


# --- queueing ------------------------------------------------------------------------


@dataclass
class Upload:
    """One document as handed in: its name and bytes (a pasted text is encoded UTF-8)."""

    name: str
    content: bytes


@dataclass
class Metadata:
    title: str = ""
    url: str = ""
    published_on: datetime.date | None = None
    language: str = ""
    kind: str = Source.Kind.OTHER


@dataclass
class Queued:
    run: TaskRun | None
    documents: list[IntakeDocument] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)


def check_upload(upload: Upload) -> str | None:
    """Why a file is refused before it is stored (None when it may be queued)."""
    if not upload.content or not upload.content.strip():
        return _("The file is empty.")
    if len(upload.content) > max_bytes():
        return too_large(len(upload.content))
    return None


def too_large(size: int) -> str:
    return _("The file is too large (%(size)s MB; at most %(limit)s MB).") % {
        "size": round(size / 1048576, 1),
        "limit": round(max_bytes() / 1048576, 1),
    }


def queue_documents(
    uploads: Iterable[Upload],
    *,
    user: Any,
    workspace: Workspace,
    metadata: Metadata | None = None,
    marking: Any = None,
    release: str = "private",
    start_reading: bool = True,
    channel: str = "web",
) -> Queued:
    """Store each acceptable upload (its original as a Source) with a document under
    review, then start reading them in the background (unless `start_reading` is false:
    the caller then reads them with `read_documents`). Refused files store nothing."""
    if not access.can_add(user, IntakeDocument, workspace.pk):
        raise PermissionDenied(_("You may not add documents to this workspace."))
    meta = metadata or Metadata()
    queued = Queued(run=None)
    uploads = list(uploads)
    with acting_as(user, channel=channel), transaction.atomic():
        for upload in uploads:
            why = check_upload(upload)
            if why is not None:
                queued.refused.append((upload.name, why))
                continue
            title = (meta.title if len(uploads) == 1 and meta.title else upload.name)[:500]
            language = meta.language if meta.language in ("fr", "en") else "fr"
            source = Source(
                owner=workspace,
                marking=marking,
                release=release,
                title=title,
                kind=meta.kind,
                file_name=upload.name[:255],
                url=meta.url,
                published_on=meta.published_on,
                language=language,
                sha256=hashlib.sha256(upload.content).hexdigest(),
            )
            source.file.save(upload.name, ContentFile(upload.content), save=False)
            source.save()
            queued.documents.append(
                IntakeDocument.objects.create(
                    owner=workspace,
                    marking=marking,
                    release=release,
                    title=title,
                    file_name=upload.name[:255],
                    source=source,
                    url=meta.url,
                    published_on=meta.published_on,
                    language=meta.language,
                )
            )
    if queued.documents and start_reading:
        names = ", ".join(d.file_name for d in queued.documents)
        queued.run = start(
            process_documents,
            kind="intake",
            user=user,
            workspace=workspace,
            label=_("Reading %(names)s") % {"names": names},
            total=len(queued.documents),
            detach=True,  # the pipeline takes seconds: the page shows its progress
            document_ids=[d.pk for d in queued.documents],
        )
    return queued


def gazetteer_for_user(user: Any) -> Any:
    """What the user's workspaces already know, for the pipeline (None until it exists)."""
    from liaison.intake.gazetteer import gazetteer_for

    try:
        return gazetteer_for(user)
    except NotImplementedError:
        return None


@task
def process_documents(run_id: int, document_ids: list[int]) -> None:
    """Read the documents one by one; a document's failure is its own, not the batch's."""
    from django.urls import reverse

    with tracked(run_id) as progress:
        total = len(document_ids)

        def report(done: int, failed: int, document: IntakeDocument | None) -> None:
            message = _("%(done)s of %(total)s read, %(failed)s failed") % {
                "done": done,
                "total": total,
                "failed": failed,
            }
            progress.advance(done, total, message=message)

        ready, failed = read_documents(document_ids, user=progress.run.user, report=report)
        if total == 1 and ready:
            url = reverse("intake:intakedocument", args=[document_ids[0]])
        else:
            url = reverse("intake:intakedocument_list")
        progress.set_result(url=url, ready=ready, failed=failed)


def read_documents(
    document_ids: list[int],
    *,
    user: Any,
    report: Callable[[int, int, IntakeDocument | None], None] | None = None,
) -> tuple[int, int]:
    """Run the pipeline on queued documents, as `user`; (ready, failed) counts.
    `report(done, failed, document)` is called after each one (a progress bar)."""
    ready = failed = 0
    with acting_as(user, channel="task"):
        gazetteer = gazetteer_for_user(user)
        for done, pk in enumerate(document_ids, start=1):
            document = IntakeDocument.objects.filter(pk=pk).first()
            # A job run again after its worker was lost reads only what it had not read:
            # a document read before keeps its proposals (never twice).
            unread = (DocumentStatus.QUEUED, DocumentStatus.PROCESSING)
            if document is not None and document.status in unread:
                process_document(document, gazetteer=gazetteer)
            if document is not None:
                if document.status == DocumentStatus.FAILED:
                    failed += 1
                else:
                    ready += 1
            if report is not None:
                report(done, failed, document)
    return ready, failed


def process_document(document: IntakeDocument, *, gazetteer: Any = None) -> IntakeDocument:
    """Run the pipeline on one queued document: ready with its proposals, or failed with
    a message and nothing else kept (its stored original is removed)."""
    from liaison.intake.pipeline import IntakeInputError, extract

    IntakeDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.PROCESSING)
    source = document.source
    try:
        if source is None or not source.file:
            raise IntakeInputError(_("The original of this document is missing."))
        with source.file.open("rb") as handle:
            content = handle.read()
        extraction = extract(
            content,
            filename=document.file_name or document.title,
            gazetteer=gazetteer,
            published=document.published_on,
            url=document.url,
        )
    except IntakeInputError as exc:
        _fail(document, str(exc))
        return document
    except Exception as exc:
        logger.exception("intake: document %s could not be read", document.pk)
        _fail(document, _("The document could not be read (%(error)s).") % {"error": exc})
        return document
    assert source is not None
    with transaction.atomic():
        source.text = extraction.text
        if extraction.language in ("fr", "en"):
            source.language = extraction.language
        meta = extraction.metadata
        if not source.published_on and meta.get("published"):
            source.published_on = _date(str(meta["published"]))
        if meta.get("last_modified"):
            source.modified_on = _date(str(meta["last_modified"]))
        if meta.get("byline") and not source.author:
            source.author = str(meta["byline"])[:300]
        title = " ".join(str(meta.get("title") or "").split())[:500]
        if title and document.title == document.file_name:  # no title was given
            document.title = source.title = title
        source.save()
        document.extraction = extraction.to_dict()
        document.language = extraction.language
        document.status = DocumentStatus.READY
        document.error = ""
        document.processed_at = timezone.now()
        document.save()
        proposals = Proposal.objects.bulk_create(proposals_for(document))
        # The links between them need their pks: derived once they are stored.
        relations.derive(proposals, extraction.text)
        Proposal.objects.bulk_update(proposals, ["fields", "links"])
        if not document.proposals.exists():
            document.status = DocumentStatus.REVIEWED
            document.save(update_fields=["status"])
    return document


def _fail(document: IntakeDocument, message: str) -> None:
    with transaction.atomic():
        source = document.source
        document.status = DocumentStatus.FAILED
        document.error = message
        document.source = None
        document.extraction = {}
        document.processed_at = timezone.now()
        document.save()
        if source is not None:
            if source.file:
                source.file.delete(save=False)
            source.delete()


def _date(iso: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(iso[:10]) if len(iso) >= 10 else None
    except ValueError:
        return None


# --- proposals -----------------------------------------------------------------------

EVENT_TYPES = {"training": "training", "exercise": "exercise", "visit": "visit"}


def rejected_texts(workspace_id: int) -> set[tuple[str, str]]:
    return set(Rejection.objects.filter(workspace_id=workspace_id).values_list("kind", "text"))


def proposals_for(document: IntakeDocument) -> list[Proposal]:
    """The proposals of a read document, without the mentions its workspace rejected."""
    data = document.extraction
    rejected = rejected_texts(document.owner_id)
    found: list[Proposal] = []

    def add(kind: str, label: str, fields: dict[str, Any], mention: dict[str, Any]) -> None:
        if not label.strip() or (kind, fold(label)) in rejected:
            return
        span = mention.get("span") or (0, 0)
        found.append(
            Proposal(
                document=document,
                kind=kind,
                label=label[:500],
                fields=fields,
                start=max(0, int(span[0])),
                end=max(0, int(span[1])),
                confidence=float(mention.get("confidence") or 0),
                candidates=list(mention.get("candidates") or []),
            )
        )

    for org in data.get("organizations", []):
        fields = {"name": org["name"], "acronym": org.get("acronym", "")}
        fields["aliases"] = ", ".join(org.get("aliases") or [])
        add(ProposalKind.ORGANIZATION, org["name"], fields, org)
    for person in data.get("persons", []):
        # "colonel-major" is a rank; "Ambassadeur de France" a function: the title of
        # the position the person holds in the organisation (a link of the proposal).
        title = str(person.get("title_or_rank") or "")
        rank = title if relations.is_rank(title) else ""
        fields = {
            "name": person["name"],
            "rank": rank,
            "position": person.get("position") or ("" if rank else title),
            "organization": person.get("organization", ""),
        }
        add(ProposalKind.PERSON, person["name"], fields, person)
    for place in data.get("places", []):
        fields = {"name": place["name"], "country": place.get("country", "")}
        add(ProposalKind.PLACE, place["name"], fields, place)
    for activity in data.get("activities", []):
        if activity.get("type") == "agreement":
            kind = ProposalKind.AGREEMENT  # a signed agreement is a record of its own
        elif activity.get("type") in EVENT_TYPES and _short(activity):
            kind = ProposalKind.EVENT
        else:
            kind = ProposalKind.ACTIVITY
        written = _date_as_written(data, activity)
        fields = {
            "title": _title(activity, written),
            "type": activity.get("type") or "other",
            "start": activity.get("start") or "",
            "end": activity.get("end") or "",
            "date_as_written": written,
            "date_flags": list(activity.get("date_flags") or []),
            "place": activity.get("place") or "",
            "donor": ", ".join(activity.get("donor") or []),
            "beneficiary": ", ".join(activity.get("beneficiary") or []),
        }
        add(kind, fields["title"], fields, activity)
    return found


def _short(activity: dict[str, Any]) -> bool:
    """Whether an activity reads as one dated occurrence (an event), not a programme."""
    start, end = _date(activity.get("start") or ""), _date(activity.get("end") or "")
    if start is None or end is None:
        return True
    return abs((end - start).days) <= 60


_WHAT = re.compile(
    r"\b(événement|formation|séminaire|stage|exercice|visite|atelier|livraison|"
    r"training|seminar|course|exercise|visit|workshop|delivery)\b",
    re.IGNORECASE,
)


def _title(activity: dict[str, Any], written: str = "") -> str:
    """A short title from the summary: from the words that say what happened up to its
    date, a comma or 100 characters (the reviewer may correct it)."""
    summary = " ".join(str(activity.get("summary") or "").split()).rstrip(".…")
    what = _WHAT.search(summary)
    if what is not None:
        summary = summary[what.start() :]
        for stop in (written, ",", ";", " en partenariat", " in partnership"):
            at = summary.find(stop) if stop else -1
            if at > 0:
                summary = summary[:at]
    summary = summary.strip(" ,;:")
    if len(summary) > 100:
        summary = summary[:100].rsplit(" ", 1)[0] + "…"
    if summary:
        return summary[0].upper() + summary[1:]
    return str(activity.get("type") or _("Activity"))


def _date_as_written(data: dict[str, Any], activity: dict[str, Any]) -> str:
    """The words of the date mention that gave the activity its dates: one written
    within the activity's passage (flagged alike, if flagged), else one of the same
    dates."""
    start, end = activity.get("start"), activity.get("end")
    span = activity.get("span") or (0, 0)
    flags = set(activity.get("date_flags") or [])
    inside = [
        d
        for d in data.get("dates", [])
        if span[0] <= (d.get("span") or (0, 0))[0] < span[1]
        and (not flags or flags & set(d.get("flags") or []))
    ]
    same = [
        d
        for d in data.get("dates", [])
        if d.get("iso_start") == start and (not end or d.get("iso_end") == end)
    ]
    for found in (inside, same):
        if found:
            return str(found[0].get("text", ""))[:200]
    return ""


_SENTENCE_END = re.compile(r"[.!?]\s|\n")


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around a span (the passage a citation quotes)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end <= start:
        end = min(len(text), start + 1)
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    stop_match = _SENTENCE_END.search(text, end)
    stop = stop_match.start() + 1 if stop_match else len(text)
    if stop_match and text[stop_match.start()] == "\n":
        stop = stop_match.start()
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    return begin, stop


# --- decisions -----------------------------------------------------------------------


def _check_review(user: Any, proposal: Proposal) -> IntakeDocument:
    document = proposal.document
    if not access.can(user, access.CHANGE, document):
        raise PermissionDenied(_("You may not review this document."))
    if not proposal.open:
        raise ReviewError(_("This proposal was already decided."))
    if document.source is None:
        raise ReviewError(_("The source of this document is missing."))
    return document


def _record_defaults(document: IntakeDocument) -> dict[str, Any]:
    return {
        "owner_id": document.owner_id,
        "marking_id": document.marking_id,
        "release": document.release,
    }


def _save_record(document: IntakeDocument, record: OwnedModel, user: Any) -> OwnedModel:
    if not access.can_add(user, type(record), document.owner_id):
        raise PermissionDenied(
            _("You may not add %(kind)s records to this workspace.")
            % {"kind": type(record)._meta.verbose_name}
        )
    record.full_clean(exclude=["owner", "marking"])
    record.save()
    released = list(document.released_to.all())
    if released:
        record.released_to.set(released)
    return record


def cite(
    proposal: Proposal,
    record: models.Model,
    field_name: str = "",
    span: tuple[int, int] | None = None,
) -> Citation | None:
    """Cite the sentence of the proposal's span (or of `span`: where a link was read)."""
    source = proposal.document.source
    if source is None:
        return None
    text = source.text
    begin, stop = sentence_at(text, *(span or (proposal.start, proposal.end)))
    if stop <= begin:
        return None
    confidence = min(1.0, max(0.0, proposal.confidence or 1.0))
    return Citation.objects.create(
        source=source,
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        field=field_name,
        quote=text[begin:stop],
        start=begin,
        end=stop,
        confidence=round(confidence, 3),
    )


def _finish(proposal: Proposal, status: str, user: Any, record: models.Model | None) -> None:
    proposal.status = status
    proposal.decided_by = user if getattr(user, "is_authenticated", False) else None
    proposal.decided_at = timezone.now()
    if record is not None:
        proposal.record_type = ContentType.objects.get_for_model(type(record))
        proposal.record_id = record.pk
    proposal.save()
    document = proposal.document
    if not document.proposals.filter(status=ProposalStatus.PROPOSED).exists():
        document.status = DocumentStatus.REVIEWED
        document.save()


def accept(proposal: Proposal, *, user: Any, fields: dict[str, Any] | None = None) -> Any:
    """Make the proposal a record (with the reviewer's corrections), cited to its source."""
    document = _check_review(user, proposal)
    values = {**proposal.fields, **(fields or {})}
    if fields and any(
        name in fields and fields[name] != proposal.fields.get(name) for name in ("start", "end")
    ):
        # The reviewer corrected the dates: the pipeline's flags were about the old ones
        # (an impossible range is flagged again if it still is one).
        values["date_flags"] = []
    changed = {n for n in relations.LINKED_FIELDS if values.get(n) != proposal.fields.get(n)}
    with acting_as(user, channel="web"), transaction.atomic():
        proposal.fields = values
        if changed:
            relations.reread(proposal, document.proposals.all(), changed)
        builder = BUILDERS[proposal.kind]
        record = builder(proposal, values, document, user)
        if record is not None and isinstance(record, OwnedModel):
            cite(proposal, record)
        _finish(proposal, ProposalStatus.ACCEPTED, user, record)
        make_links(proposal, user)
    return record


# The kinds of record a proposal may be merged into, by proposal kind (model labels).
MERGE_TARGETS: dict[str, tuple[str, ...]] = {
    ProposalKind.ORGANIZATION: ("partners.organization",),
    ProposalKind.PERSON: ("partners.person",),
    ProposalKind.POSITION: ("partners.position",),
    ProposalKind.PLACE: ("geo.country", "geo.subdivision"),
    ProposalKind.AGREEMENT: ("activities.agreement",),
    ProposalKind.EVENT: ("events.event", "events.contextevent"),
    ProposalKind.ACTIVITY: ("activities.activity",),
}


def merge(proposal: Proposal, *, user: Any, model_label: str, pk: int) -> Any:
    """Tie the proposal to an existing record the reviewer sees, cited to the source;
    what the record lacks and the proposal knows (a rank, an acronym) is filled in."""
    from django.apps import apps

    _check_review(user, proposal)
    # Only a record of the proposal's own kind: the label comes from the browser.
    if model_label not in MERGE_TARGETS.get(proposal.kind, ()):
        raise ReviewError(_("Choose a record to merge into."))
    model = apps.get_model(model_label)
    manager: Any = model._default_manager
    target = (
        visible(model, user).filter(pk=pk).first()
        if hasattr(manager, "visible_to")
        else manager.filter(pk=pk).first()
    )
    if target is None:
        raise ReviewError(_("Choose a record to merge into."))
    with acting_as(user, channel="web"), transaction.atomic():
        if isinstance(target, OwnedModel):
            if access.can(user, access.CHANGE, target):
                _complete(target, proposal)
            cite(proposal, target)
        _finish(proposal, ProposalStatus.MERGED, user, target)
        make_links(proposal, user)
    return target


def _complete(target: Any, proposal: Proposal) -> None:
    changed = False
    values = proposal.fields
    if proposal.kind == ProposalKind.PERSON and values.get("rank") and not target.rank:
        target.rank = str(values["rank"])[:100]
        changed = True
    if proposal.kind == ProposalKind.ORGANIZATION:
        acronym = str(values.get("acronym") or "")
        if acronym and not (target.acronym_fr or target.acronym_en):
            setattr(target, f"acronym_{_lang(proposal.document)}", acronym[:40])
            changed = True
    if changed:
        target.save()


def reject(proposal: Proposal, *, user: Any) -> None:
    """Reject the proposal, and remember the mention so that it is not proposed again in
    this workspace (its other open proposals of the same mention are rejected too)."""
    document = _check_review(user, proposal)
    text = fold(proposal.label)
    with acting_as(user, channel="web"), transaction.atomic():
        Rejection.objects.get_or_create(
            workspace_id=document.owner_id,
            kind=proposal.kind,
            text=text[:500],
            defaults={"created_by": user if getattr(user, "is_authenticated", False) else None},
        )
        _finish(proposal, ProposalStatus.REJECTED, user, None)
        for twin in document.proposals.filter(kind=proposal.kind, status=ProposalStatus.PROPOSED):
            if fold(twin.label) == text:
                _finish(twin, ProposalStatus.REJECTED, user, None)


@dataclass
class BulkOutcome:
    done: list[Proposal] = field(default_factory=list)
    errors: list[tuple[Proposal, str]] = field(default_factory=list)


def bulk(proposals: Iterable[Proposal], action: str, *, user: Any) -> BulkOutcome:
    """Accept or reject several proposals, organisations and persons first; each one
    on its own (a refusal does not undo the others), each refusal with its reason."""
    outcome = BulkOutcome()
    ordered = sorted(proposals, key=lambda p: (KIND_ORDER.index(p.kind), p.pk))
    for proposal in ordered:
        proposal.refresh_from_db()
        if not proposal.open:
            continue
        try:
            if action == "accept":
                accept(proposal, user=user)
            else:
                reject(proposal, user=user)
        except (ReviewError, PermissionDenied) as exc:
            outcome.errors.append((proposal, str(exc)))
        except Exception as exc:  # a validation error of the record, say
            outcome.errors.append((proposal, _messages(exc)))
        else:
            outcome.done.append(proposal)
    return outcome


def _messages(exc: Exception) -> str:
    messages = getattr(exc, "messages", None)
    return "; ".join(str(m) for m in messages) if messages else str(exc)


# --- building records ----------------------------------------------------------------


def _lang(document: IntakeDocument) -> str:
    return "en" if document.language == "en" else "fr"


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


def _required(values: dict[str, Any], name: str, label: str) -> str:
    value = str(values.get(name) or "").strip()
    if not value:
        raise ReviewError(_("Give the %(field)s.") % {"field": label})
    return value


def _build_organization(
    proposal: Proposal, values: dict[str, Any], document: IntakeDocument, user: Any
) -> Any:
    from liaison.partners.choices import OrganizationKind
    from liaison.partners.models import Organization

    lang = _lang(document)
    name = _required(values, "name", _("name"))
    org = Organization(**_record_defaults(document), aliases=_split(values.get("aliases")))
    setattr(org, f"name_{lang}", name[:300])
    setattr(org, f"acronym_{lang}", str(values.get("acronym") or "")[:40])
    kind = str(values.get("kind") or "")
    if kind in OrganizationKind.values:
        org.kind = kind
    org.country = _country(str(values.get("country") or ""))
    return _save_record(document, org, user)


def _country(code: str) -> Any:
    from liaison.geo.models import Country

    return Country.objects.filter(alpha2=code.upper()).first() if len(code) == 2 else None


def _build_person(
    proposal: Proposal, values: dict[str, Any], document: IntakeDocument, user: Any
) -> Any:
    from liaison.partners.models import Person

    name = _required(values, "name", _("name"))
    parts = name.split()
    person = Person(
        **_record_defaults(document),
        full_name=name[:300],
        given_names=" ".join(parts[:-1])[:200],
        family_name=parts[-1][:200] if parts else "",
        rank=str(values.get("rank") or "")[:100],
    )
    return _save_record(document, person, user)


def _decided_record(document: IntakeDocument, kind: str, name: str) -> Any:
    """The record an accepted or merged proposal of this document made of `name`."""
    wanted = fold(name)
    for proposal in document.proposals.filter(
        kind=kind, status__in=[ProposalStatus.ACCEPTED, ProposalStatus.MERGED]
    ):
        names = {fold(proposal.label), fold(str(proposal.fields.get("name", "")))}
        names.add(fold(str(proposal.fields.get("acronym", ""))))
        if wanted in names and proposal.record is not None:
            return proposal.record
    return None


def _find_person(document: IntakeDocument, name: str, user: Any) -> Any:
    from liaison.partners.models import Person

    found = _decided_record(document, ProposalKind.PERSON, name)
    if found is not None:
        return found
    wanted = fold(name)
    for person in visible(Person, user).filter(full_name__icontains=name.split()[-1]):
        if fold(person.full_name) == wanted:
            return person
    return None


def _find_organization(document: IntakeDocument, name: str, user: Any) -> Any:
    from django.db.models import Q

    from liaison.partners.models import Organization

    found = _decided_record(document, ProposalKind.ORGANIZATION, name)
    if found is not None:
        return found
    wanted = fold(name)
    query = Q()
    for field_name in ("name_fr", "name_en", "acronym_fr", "acronym_en"):
        query |= Q(**{f"{field_name}__iexact": name})
    for org in visible(Organization, user).filter(query):
        return org
    for org in visible(Organization, user).filter(name_fr__icontains=name[:20]):
        if wanted in {fold(org.name_fr), fold(org.name_en)}:
            return org
    return None


def _build_position(
    proposal: Proposal, values: dict[str, Any], document: IntakeDocument, user: Any
) -> Any:
    from liaison.partners.models import Organization, Person, Position

    person_name = _required(values, "person", _("person"))
    title = _required(values, "title", _("title"))
    org_name = _required(values, "organization", _("organisation"))
    lang = _lang(document)
    person = _find_person(document, person_name, user)
    if person is None:
        parts = person_name.split()
        person = _save_record(
            document,
            Person(
                **_record_defaults(document),
                full_name=person_name[:300],
                given_names=" ".join(parts[:-1])[:200],
                family_name=parts[-1][:200],
            ),
            user,
        )
        cite(proposal, person)
    organization = _find_organization(document, org_name, user)
    if organization is None:
        organization = Organization(**_record_defaults(document))
        setattr(organization, f"name_{lang}", org_name[:300])
        organization = _save_record(document, organization, user)
        cite(proposal, organization)
    current = Position.objects.filter(
        person=person, organization=organization, is_current=True, **{f"title_{lang}": title}
    ).first()
    if current is not None:
        return current
    position = Position(**_record_defaults(document), person=person, organization=organization)
    setattr(position, f"title_{lang}", title[:300])
    return _save_record(document, position, user)


def _build_place(
    proposal: Proposal, values: dict[str, Any], document: IntakeDocument, user: Any
) -> Any:
    """A place is reference data (countries and regions): accepting it ties the mention
    to the best candidate, if any; no record is created."""
    return _place_record(proposal.candidates)


def _place_record(candidates: list[dict[str, Any]]) -> Any:
    from django.apps import apps

    for candidate in sorted(candidates, key=lambda c: -float(c.get("score") or 0)):
        label = str(candidate.get("model", ""))
        if not label.startswith("geo."):
            continue
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        found = model._default_manager.filter(pk=candidate.get("pk")).first()
        if found is not None:
            return found
    return None


def dated_fields(start: str, end: str, flags: Iterable[str], as_written: str) -> dict[str, Any]:
    """DatedModel fields from ISO dates as read: exact dates when sure, else the period
    both share; a range that ends before it starts is kept as written and flagged."""
    from liaison.events.models import DateFlag

    start, end = start or "", end or ""
    first, last = _date(start), _date(end)
    flags = list(flags)
    known = {DateFlag.END_BEFORE_START.value, DateFlag.APPROXIMATE.value}
    out_flags = [f for f in flags if f in known]
    impossible = bool({"impossible_range", "end_before_start"} & set(flags)) or (
        first is not None and last is not None and last < first
    )
    result: dict[str, Any] = {
        "start_date": None,
        "end_date": None,
        "period": "",
        "date_as_written": as_written[:200],
    }
    if impossible:
        if DateFlag.END_BEFORE_START.value not in out_flags:
            out_flags.append(DateFlag.END_BEFORE_START.value)
        if start[:7] == end[:7] and len(start) >= 7:
            result["period"] = start[:7]
        elif start[:4] == end[:4]:
            result["period"] = start[:4]
    elif first is not None:
        result["start_date"] = first
        result["end_date"] = last if last is not None and last != first else None
    elif re.fullmatch(r"\d{4}(-\d{2})?", start):
        result["period"] = start
    result["date_flags"] = out_flags
    return result


def _place_of(document: IntakeDocument, name: str) -> Any:
    """The country or region the place proposal of this name was tied to, if any."""
    if not name:
        return None
    wanted = fold(name)
    for proposal in document.proposals.filter(kind=ProposalKind.PLACE):
        if fold(proposal.label) == wanted:
            if proposal.record is not None:
                return proposal.record
            return _place_record(proposal.candidates)
    return None


def _build_event(
    proposal: Proposal, values: dict[str, Any], document: IntakeDocument, user: Any
) -> Any:
    from liaison.events.models import Event
    from liaison.geo.models import Country, Subdivision

    title = _required(values, "title", _("title"))
    kind = EVENT_TYPES.get(str(values.get("type") or ""), Event.Kind.OTHER)
    dates = dated_fields(
        str(values.get("start") or ""),
        str(values.get("end") or ""),
        values.get("date_flags") or [],
        str(values.get("date_as_written") or ""),
    )
    place_name = str(values.get("place") or "")
    place = _place_of(document, place_name)
    event = Event(
        **_record_defaults(document),
        title=title[:500],
        kind=kind,
        description=_quote(proposal),
        locality=place_name[:200],
        **dates,
    )
    if isinstance(place, Subdivision):
        event.subdivision = place
        event.country = place.country
    elif isinstance(place, Country):
        event.country = place
    return _save_record(document, event, user)  # organisers and participants: its links


def _build_activity(
    proposal: Proposal, values: dict[str, Any], document: IntakeDocument, user: Any
) -> Any:
    from liaison.activities.choices import ActivityType
    from liaison.activities.models import Activity

    title = _required(values, "title", _("title"))
    kind = str(values.get("type") or "")
    dates = dated_fields(
        str(values.get("start") or ""),
        str(values.get("end") or ""),
        values.get("date_flags") or [],
        str(values.get("date_as_written") or ""),
    )
    description = _quote(proposal)
    if dates["date_as_written"]:
        description += "\n" + _("Dates as written: %(dates)s") % {"dates": dates["date_as_written"]}
    if dates["date_flags"]:
        description += " " + _("(the range as written ends before it starts)")
    activity = Activity(
        **_record_defaults(document),
        title=title[:500],
        description=description,
        activity_type=kind if kind in ActivityType.values else ActivityType.OTHER,
        actual_start=dates["start_date"],
        actual_end=dates["end_date"],
    )
    return _save_record(document, activity, user)  # its organisations, places: its links


def _build_agreement(
    proposal: Proposal, values: dict[str, Any], document: IntakeDocument, user: Any
) -> Any:
    from liaison.activities.models import Agreement

    title = _required(values, "title", _("title"))
    dates = dated_fields(str(values.get("start") or ""), str(values.get("end") or ""), [], "")
    agreement = Agreement(
        **_record_defaults(document),
        title=title[:500],
        signed_on=dates["start_date"],
        scope=_quote(proposal),
    )
    return _save_record(document, agreement, user)  # its parties: its links


# --- links -----------------------------------------------------------------------------

DECIDED = [ProposalStatus.ACCEPTED, ProposalStatus.MERGED]


def make_links(proposal: Proposal, user: Any) -> None:
    """Make the links of a decided proposal whose targets are decided, then the links of
    the document's decided proposals that were waiting for this one: whatever the order
    of the decisions, the records end up linked, and a link to a rejected proposal is
    never made (the review page says it is dropped)."""
    _make_own(proposal, user)
    for other in proposal.document.proposals.filter(status__in=DECIDED).exclude(pk=proposal.pk):
        if any(x.get("proposal") == proposal.pk and not x.get("state") for x in other.links):
            _make_own(other, user)


def _make_own(proposal: Proposal, user: Any) -> None:
    record = proposal.record
    if record is None:
        return
    made = False
    for x in proposal.links:
        if x.get("state"):
            continue  # made already, or dropped by the reviewer
        target = link_target(proposal.document, x, user)
        if target is None and x["kind"] == "position" and not (x["proposal"] or x["record"]):
            target = _new_organization(proposal, str(x.get("name") or ""), user)
        if target is None:
            continue  # waits for its proposal's decision
        LINKERS[x["kind"]](proposal, record, target, x, user)
        x["state"] = "made"
        made = True
    if made:
        proposal.save(update_fields=["links"])


def edit_link(
    proposal: Proposal,
    index: int,
    *,
    user: Any,
    role: str | None = None,
    target: str | None = None,
    drop: bool = False,
) -> None:
    """The reviewer's change to a link of an open proposal: its role (or a position's
    title), what it points to ("p:<proposal pk>" of the document, or "r:<model>:<pk>" of a
    record the reviewer sees), or dropped. Anything else changes nothing and says why."""
    document = _check_review(user, proposal)
    links = [dict(x) for x in proposal.links]
    if not 0 <= index < len(links):
        raise ReviewError(_("This link is not there any more."))
    x = links[index]
    kinds = relations.LINK_KINDS[x["kind"]][0]
    if drop:
        x["state"] = "dropped"
    if role is not None and role.strip():
        choices = [value for value, _label in relations.role_choices(x["kind"])]
        if choices and role not in choices:
            raise ReviewError(_("Choose a role from the list."))
        if not choices and x["kind"] != "position":
            raise ReviewError(_("This link has no role."))
        x["role"] = role.strip()[:300]
    if target:
        head, _sep, rest = target.partition(":")
        if head == "p" and rest.isdigit():
            other = document.proposals.filter(pk=int(rest), kind__in=kinds).first()
            if other is None or other.pk == proposal.pk:
                raise ReviewError(_("Choose a proposal of this document that fits the link."))
            x.update(proposal=other.pk, record="", name=other.label)
        elif head == "r":
            x_try = {**x, "record": rest, "proposal": None}
            record = link_target(document, x_try, user)
            if record is None:
                raise ReviewError(_("Choose a record you can see that fits the link."))
            x.update(proposal=None, record=rest, name=str(record)[:300])
        else:
            raise ReviewError(_("Choose a proposal or a record."))
    if not drop and x.get("state") == "dropped" and (target or role):
        x["state"] = ""  # pointed anew: no longer dropped
    with acting_as(user, channel="web"), transaction.atomic():
        proposal.links = links
        proposal.save(update_fields=["links"])


def _new_organization(proposal: Proposal, name: str, user: Any) -> Any:
    """The organisation a person's function is held in, named by no proposal nor record."""
    from liaison.partners.models import Organization

    if not name.strip():
        return None
    org = Organization(**_record_defaults(proposal.document))
    setattr(org, f"name_{_lang(proposal.document)}", name[:300])
    _save_record(proposal.document, org, user)
    cite(proposal, org)
    return org


def link_target(document: IntakeDocument, x: dict[str, Any], user: Any) -> Any:
    """The record a link points to: the record the reviewer chose, or its proposal's once
    decided, or (named only) the record of that name; None while there is none."""
    from django.apps import apps

    kinds = relations.LINK_KINDS[x["kind"]][0]
    if x.get("record"):
        label, _sep, pk = str(x["record"]).rpartition(":")
        allowed = {m for kind in kinds for m in relations.TARGET_MODELS.get(kind, ())}
        if label not in allowed or not pk.isdigit():
            return None
        model = apps.get_model(label)
        manager: Any = model._default_manager
        rows = visible(model, user) if hasattr(manager, "visible_to") else manager.all()
        return rows.filter(pk=int(pk)).first()
    if x.get("proposal"):
        target = document.proposals.filter(pk=x["proposal"], status__in=DECIDED).first()
        if target is None:
            return None
        if target.record is None and target.kind == ProposalKind.PLACE:
            return _place_record(target.candidates)
        return target.record
    name = str(x.get("name") or "")
    if "organization" in kinds:
        found = _find_organization(document, name, user)
        if found is None and "person" in kinds:
            found = _find_person(document, name, user)
        return found
    if "place" in kinds:
        from django.db.models import Q

        from liaison.geo.models import Country

        found = _place_of(document, name)
        if found is None and name:
            named = Q(name_fr__iexact=name) | Q(name_en__iexact=name)
            found = Country.objects.filter(named).first()
        return found
    return None


def _participation(
    proposal: Proposal, record: Any, target: Any, x: dict[str, Any], user: Any
) -> None:
    from liaison.activities.choices import ParticipationRole
    from liaison.activities.models import Activity, ActivityParticipation
    from liaison.partners.models import Organization

    if not isinstance(record, Activity) or not isinstance(target, Organization):
        return
    role = str(x.get("role") or "")
    role = role if role in ParticipationRole.values else ParticipationRole.FUNDING
    rows = ActivityParticipation.objects.filter(activity=record, organization=target, role=role)
    if not rows.exists():
        row = ActivityParticipation(activity=record, organization=target, role=role)
        row.full_clean()
        row.save()
    cite(proposal, record, "organizations")


def _place_link(proposal: Proposal, record: Any, target: Any, x: dict[str, Any], user: Any) -> None:
    from liaison.activities.models import Activity, ActivityPlace
    from liaison.events.models import Event
    from liaison.geo.models import Country, Subdivision

    region = target if isinstance(target, Subdivision) else None
    country = region.country if region is not None else target
    if not isinstance(country, Country):
        return
    if isinstance(record, Activity):
        if not record.places.filter(country=country, subdivision=region).exists():
            row = ActivityPlace(activity=record, country=country, subdivision=region)
            row.full_clean()
            row.save()
        cite(proposal, record, "places")
    elif isinstance(record, Event) and record.country_id is None:
        record.country, record.subdivision = country, region
        record.save()
        cite(proposal, record, "country")


def _set_link(field_name: str, model_label: str, target_label: str) -> Callable[..., None]:
    """A link that sets one foreign key of the record (an activity's agreement)."""

    def make(proposal: Proposal, record: Any, target: Any, x: dict[str, Any], user: Any) -> None:
        if record._meta.label_lower != model_label or target._meta.label_lower != target_label:
            return
        if getattr(record, f"{field_name}_id") is None and target != record:
            setattr(record, field_name, target)
            record.full_clean(exclude=["owner", "marking"])
            record.save()
        cite(proposal, record, field_name)

    return make


def _add_link(field_name: str, model_label: str) -> Callable[..., None]:
    """A link that adds an organisation to a many-to-many of the record (its parties)."""

    def make(proposal: Proposal, record: Any, target: Any, x: dict[str, Any], user: Any) -> None:
        if record._meta.label_lower != model_label:
            return
        if target._meta.label_lower == "partners.organization":
            getattr(record, field_name).add(target)
            cite(proposal, record, field_name)

    return make


def _participant(
    proposal: Proposal, record: Any, target: Any, x: dict[str, Any], user: Any
) -> None:
    from liaison.events.models import Event, Participant
    from liaison.partners.models import Organization, Person

    if not isinstance(record, Event) or not isinstance(target, (Person, Organization)):
        return
    who = {"person": target} if isinstance(target, Person) else {"organization": target}
    if not record.participants.filter(**who).exists():
        role = str(x.get("role") or "")
        role = role if role in Participant.Role.values else Participant.Role.ATTENDEE
        capacity = ""
        if isinstance(target, Person):
            position = target.positions.filter(is_current=True).first()
            capacity = str(position.title_fr or position.title_en) if position else ""
        row = Participant(event=record, role=role, capacity=capacity[:300], **who)
        row.full_clean()
        row.save()
    # The sentence that names the participant ("L'événement a été suivi par ...").
    named = proposal.document.proposals.filter(pk=x.get("proposal") or 0).first()
    cite(proposal, record, "participants", (named.start, named.end) if named else None)


def _position_link(
    proposal: Proposal, record: Any, target: Any, x: dict[str, Any], user: Any
) -> None:
    from liaison.partners.models import Organization, Person, Position

    title = str(x.get("role") or "").strip()
    if not isinstance(record, Person) or not isinstance(target, Organization) or not title:
        return
    lang = _lang(proposal.document)
    held = Position.objects.filter(person=record, organization=target, **{f"title_{lang}": title})
    position = held.first()
    if position is None:
        position = Position(**_record_defaults(proposal.document), person=record,
                            organization=target)  # fmt: skip
        setattr(position, f"title_{lang}", title[:300])
        _save_record(proposal.document, position, user)
    cite(proposal, position)


LINKERS: dict[str, Callable[[Proposal, Any, Any, dict[str, Any], Any], None]] = {
    "participation": _participation,
    "place": _place_link,
    "agreement": _set_link("agreement", "activities.activity", "activities.agreement"),
    "parent": _set_link("parent", "activities.activity", "activities.activity"),
    "party": _add_link("parties", "activities.agreement"),
    "organiser": _add_link("organisers", "events.event"),
    "participant": _participant,
    "position": _position_link,
    "parent_org": _set_link("parent", "partners.organization", "partners.organization"),
}


def _quote(proposal: Proposal) -> str:
    source = proposal.document.source
    if source is None:
        return ""
    begin, stop = sentence_at(source.text, proposal.start, proposal.end)
    return source.text[begin:stop]


BUILDERS: dict[str, Callable[[Proposal, dict[str, Any], IntakeDocument, Any], Any]] = {
    ProposalKind.ORGANIZATION: _build_organization,
    ProposalKind.PERSON: _build_person,
    ProposalKind.POSITION: _build_position,
    ProposalKind.PLACE: _build_place,
    ProposalKind.AGREEMENT: _build_agreement,
    ProposalKind.EVENT: _build_event,
    ProposalKind.ACTIVITY: _build_activity,
}
