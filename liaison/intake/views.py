"""Intake pages: hand documents in, follow their reading, review what they propose.

The review page shows the cleaned text with the mentions marked on one side and the
proposals on the other; each decision (accept, edit, merge, reject) posts to its own
URL and HTMX swaps the proposal's card in place (without JavaScript the page reloads).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core import access
from liaison.core.generic import ObjectDeleteView, ObjectListView, RecordView
from liaison.core.querysets import visible
from liaison.intake import mentions, relations, services
from liaison.intake.filtersets import IntakeDocumentFilterSet
from liaison.intake.forms import ProposalForm, UploadForm, shown_fields
from liaison.intake.models import KIND_ORDER, IntakeDocument, Proposal, ProposalStatus
from liaison.intake.tables import IntakeDocumentTable


class IntakeDocumentListView(ObjectListView):
    model = IntakeDocument
    filterset_class = IntakeDocumentFilterSet
    table_class = IntakeDocumentTable
    select_related = ("owner", "marking")

    def base_queryset(self, request: HttpRequest) -> Any:
        return super().base_queryset(request).defer("extraction")


class IntakeDocumentDeleteView(ObjectDeleteView):
    model = IntakeDocument


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Hand in files or a pasted text; they are read in the background."""
    if not access.can_add(request.user, IntakeDocument):
        raise PermissionDenied
    workspace = getattr(request, "workspace", None)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user,
                      workspace=workspace)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads, refused = [], []
        for handed in data["documents"]:
            if handed.size > services.max_bytes():
                refused.append((handed.name, services.too_large(handed.size)))  # not read
                continue
            uploads.append(services.Upload(handed.name, handed.read()))
        if data["text"].strip():
            name = (data["title"] or _("pasted text"))[:200] + ".txt"
            uploads.append(services.Upload(name, data["text"].encode("utf-8")))
        metadata = services.Metadata(
            title=data["title"], url=data["url"], published_on=data["published_on"],
            language=data["language"], kind=data["kind"],
        )  # fmt: skip
        queued = services.queue_documents(
            uploads,
            user=request.user,
            workspace=data["owner"],
            metadata=metadata,
            marking=data["marking"],
            release=data["release"],
        )
        refused += queued.refused
        for name, why in refused:
            text = _("%(name)s: %(why)s") % {"name": name, "why": why}
            if queued.run is not None:
                messages.error(request, text)
            else:
                form.add_error("documents", text)
        if queued.run is not None:
            # The documents are read in the background: their page shows the progress.
            if len(queued.documents) == 1:
                return redirect("intake:intakedocument", queued.documents[0].pk)
            return redirect("intake:intakedocument_list")
        status = 400
    else:
        status = 400 if request.method == "POST" else 200
    return render(request, "intake/upload.html", {"form": form}, status=status)


# --- review ---------------------------------------------------------------------------


def visible_candidates(proposals: list[Proposal], user: Any) -> dict[int, list[dict[str, Any]]]:
    """Each proposal's candidates that the user may see, named as the user sees them."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for proposal in proposals:
        for candidate in proposal.candidates:
            wanted[str(candidate.get("model", ""))].add(int(candidate.get("pk") or 0))
    found: dict[tuple[str, int], Any] = {}
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        manager: Any = model._default_manager
        rows = visible(model, user) if hasattr(manager, "visible_to") else manager.all()
        for obj in rows.filter(pk__in=pks):
            found[(label, obj.pk)] = obj
    shown: dict[int, list[dict[str, Any]]] = {}
    for proposal in proposals:
        rows = []
        for candidate in proposal.candidates:
            label = str(candidate.get("model", ""))
            obj = found.get((label, int(candidate.get("pk") or 0)))
            if obj is not None:
                rows.append(
                    {
                        "model": label,
                        "pk": obj.pk,
                        "record": obj,
                        "score": float(candidate.get("score") or 0),
                        "url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
                    }
                )
        shown[proposal.pk] = sorted(rows, key=lambda r: -r["score"])
    return shown


def _record_options(kinds: tuple[str, ...], name: str, user: Any) -> list[tuple[str, str]]:
    """Existing records the reviewer sees that a link may point to: those of its name."""
    from django.db.models import Q

    options: list[tuple[str, str]] = []
    words = name.split()
    if not words:
        return options
    for kind in kinds:
        for label in relations.TARGET_MODELS.get(kind, ()):
            model = apps.get_model(label)
            manager: Any = model._default_manager
            rows = visible(model, user) if hasattr(manager, "visible_to") else manager.all()
            wanted = words[-1] if kind == "person" else name
            query = Q()
            for field in ("name_fr", "name_en", "acronym_fr", "full_name", "title"):
                if any(f.name == field for f in model._meta.get_fields()):
                    query |= Q(**{f"{field}__icontains": wanted})
            for obj in rows.filter(query)[:5] if query else []:
                options.append((f"r:{label}:{obj.pk}", str(obj)))
    return options


def link_rows(proposal: Proposal, siblings: dict[int, Proposal], user: Any) -> list[dict]:
    """The links a proposal will make, as the review card shows and edits them."""
    rows = []
    for index, x in enumerate(proposal.links):
        kinds, kind_label = relations.LINK_KINDS.get(x.get("kind", ""), ((), x.get("kind")))
        target = siblings.get(x.get("proposal") or 0)
        roles = relations.role_choices(x.get("kind", ""))
        record = None
        if x.get("record"):
            record = services.link_target(proposal.document, x, user)
        if x.get("state") == "dropped":
            state, note = "dropped", _("Dropped by the reviewer.")
        elif x.get("state") == "made":
            state, note = "made", _("Made.")
        elif record is None and target is not None and target.status == ProposalStatus.REJECTED:
            state = "dropped"
            note = _("Dropped: %(name)s was rejected, so this link is not made.") % {
                "name": target.label
            }
        elif record is None and target is not None and target.open:
            state = "waiting"
            note = _("Made once %(name)s is accepted.") % {"name": target.label}
        elif record is None and target is None:
            state = "named"
            note = (
                _("A new organisation of this name is created.")
                if x.get("kind") == "position"
                else _("Made if a record of this name exists; else point it to one.")
            )
        else:
            state, note = "ready", ""
        options = [
            (f"p:{p.pk}", f"{p.get_kind_display()}: {p.label}")
            for p in siblings.values()
            if p.kind in kinds and p.pk != proposal.pk and p.status != ProposalStatus.REJECTED
        ]
        options += _record_options(kinds, str(x.get("name") or ""), user)
        chosen = f"r:{x['record']}" if x.get("record") else f"p:{x.get('proposal') or ''}"
        if x.get("record") and record is not None and chosen not in dict(options):
            options.append((chosen, str(record)))
        rows.append(
            {
                "index": index,
                "kind": kind_label,
                "role": x.get("role", ""),
                "role_label": dict(roles).get(x.get("role", ""), x.get("role", "")),
                "roles": roles,
                "free_role": x.get("kind") == "position",
                "name": x.get("name", ""),
                "target": target,
                "record": record,
                "state": state,
                "note": note,
                "options": options,
                "chosen": chosen,
            }
        )
    return rows


def linked_from(proposal: Proposal, siblings: dict[int, Proposal]) -> list[dict[str, Any]]:
    """The proposals whose links point to this one (said on its card, and what becomes of
    them when it is rejected)."""
    found = []
    for other in siblings.values():
        for x in other.links:
            if x.get("proposal") == proposal.pk and x.get("state") != "dropped":
                found.append({"proposal": other, "kind": relations.LINK_KINDS[x["kind"]][1]})
    return found


def card_context(proposal: Proposal, user: Any, **extra: Any) -> dict[str, Any]:
    document = proposal.document
    siblings = {p.pk: p for p in document.proposals.all()}
    return {
        "proposal": proposal,
        "document": document,
        "candidates": visible_candidates([proposal], user)[proposal.pk],
        "rows": shown_fields(proposal),
        "links": link_rows(proposal, siblings, user),
        "linked_from": linked_from(proposal, siblings),
        "can_review": access.can(user, access.CHANGE, document),
        **extra,
    }


class IntakeDocumentDetailView(RecordView):
    """The review page."""

    model = IntakeDocument

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.get_object(request, pk)
        proposals = list(document.proposals.select_related("record_type"))
        proposals.sort(key=lambda p: (KIND_ORDER.index(p.kind), p.start, p.pk))
        candidates = visible_candidates(proposals, request.user)
        numbers = {p.pk: n for n, p in enumerate(proposals, start=1)}
        text = document.text
        paragraphs = mentions.marked(text, proposals, numbers) if text else []
        siblings = {p.pk: p for p in proposals}
        context = {
            **self.page_context(request),
            "object": document,
            "document": document,
            "cards": [
                {
                    "proposal": p,
                    "number": numbers[p.pk],
                    "candidates": candidates[p.pk],
                    "rows": shown_fields(p),
                    "links": link_rows(p, siblings, request.user),
                    "linked_from": linked_from(p, siblings),
                }
                for p in proposals
            ],
            "open_count": sum(1 for p in proposals if p.open),
            "paragraphs": paragraphs,
            "can_review": access.can(request.user, access.CHANGE, document),
            "can_delete": access.can(request.user, access.DELETE, document),
            "flags": document.extraction.get("warnings", []) if document.extraction else [],
            "metadata": document.extraction.get("metadata", {}) if document.extraction else {},
        }
        return render(request, "intake/review.html", context)


READING = ("queued", "processing")


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The reading's progress, polled by the review page; once read, HTMX reloads it."""
    document = visible(IntakeDocument, request.user).filter(pk=pk).defer("extraction").first()
    if document is None:
        raise Http404
    response = render(request, "intake/_progress.html", {"document": document})
    if document.status not in READING and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = visible(Proposal, request.user).select_related("document").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def _answer(
    request: HttpRequest, proposal: Proposal, error: str = "", form: Any = None
) -> HttpResponse:
    """The proposal's card for HTMX; otherwise back to the review page with a message."""
    if getattr(request, "htmx", False):
        proposal.refresh_from_db()
        context = card_context(proposal, request.user, error=error, form=form)
        context["number"] = request.POST.get("number") or request.GET.get("number") or ""
        return render(request, "intake/_proposal.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(
        reverse("intake:intakedocument", args=[proposal.document_id]) + f"#p{proposal.pk}"
    )


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    return str(exc)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept, merge or reject one proposal."""
    proposal = _proposal(request, pk)
    try:
        if action == "accept":
            services.accept(proposal, user=request.user)
        elif action == "reject":
            services.reject(proposal, user=request.user)
        elif action == "merge":
            target = request.POST.get("target", "")
            label, _sep, target_pk = target.rpartition(":")
            if not target_pk.isdigit():
                raise services.ReviewError(_("Choose a record to merge into."))
            services.merge(proposal, user=request.user, model_label=label, pk=int(target_pk))
        else:
            raise Http404
    except PermissionDenied:
        raise
    except (services.ReviewError, ValidationError) as exc:
        return _answer(request, proposal, error=_error_text(exc))
    return _answer(request, proposal)


@login_required
@require_POST
def edit_link(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """Change a link of an open proposal: its role, what it points to, or drop it."""
    proposal = _proposal(request, pk)
    try:
        target = request.POST.get("target", "")
        services.edit_link(
            proposal,
            index,
            user=request.user,
            role=request.POST.get("role"),
            target=target or None,
            drop=bool(request.POST.get("drop")),
        )
    except services.ReviewError as exc:
        return _answer(request, proposal, error=str(exc))
    return _answer(request, proposal)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal's fields in a form; saved, the proposal is accepted as corrected."""
    proposal = _proposal(request, pk)
    if not access.can(request.user, access.CHANGE, proposal.document):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept(proposal, user=request.user, fields=form.cleaned_data)
        except (services.ReviewError, ValidationError) as exc:
            proposal.refresh_from_db()
            return _answer(request, proposal, error=_error_text(exc), form=form)
        return _answer(request, proposal)
    if getattr(request, "htmx", False):
        context = card_context(proposal, request.user, form=form)
        context["number"] = request.GET.get("number", "")
        return render(request, "intake/_proposal.html", context, status=400 if form.errors else 200)
    return render(
        request,
        "intake/proposal_edit.html",
        {**card_context(proposal, request.user, form=form)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject the chosen proposals (or all open ones) in one go."""
    document = visible(IntakeDocument, request.user).filter(pk=pk).first()
    if document is None:
        raise Http404
    if not access.can(request.user, access.CHANGE, document):
        raise PermissionDenied
    action = request.POST.get("action", "")
    everything = action == "accept_all"
    action = "accept" if everything else action
    if action not in ("accept", "reject"):
        messages.error(request, _("Choose accept or reject."))
        return redirect("intake:intakedocument", pk)
    chosen = document.proposals.filter(status=ProposalStatus.PROPOSED)
    if not everything:
        ids = [int(i) for i in request.POST.getlist("proposal") if i.isdigit()]
        chosen = chosen.filter(pk__in=ids)
    outcome = services.bulk(list(chosen), action, user=request.user)
    if outcome.done:
        text = (
            _("%(count)s proposals accepted.")
            if action == "accept"
            else _("%(count)s proposals rejected.")
        )
        messages.success(request, text % {"count": len(outcome.done)})
    elif not outcome.errors:
        messages.info(request, _("No proposal chosen."))
    for proposal, why in outcome.errors:
        messages.error(request, _("%(mention)s: %(why)s") % {"mention": proposal.label, "why": why})
    return redirect("intake:intakedocument", pk)
