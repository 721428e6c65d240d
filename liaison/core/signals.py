"""Connects the audit chain to django-simple-history's signals; and `bulk_saved`, the
post_save of bulk writes (core.bulk), which skip Django's own signals."""

from django.dispatch import Signal
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from liaison.core import audit

# Sent by core.bulk after it inserts (created=True) or updates records in bulk,
# with sender=the model, objs=the records (their pks set) and fields=the fields updated
# (None for an insert). Receivers run inside the writer's transaction, as post_save's do.
bulk_saved = Signal()


def connect() -> None:
    pre_create_historical_record.connect(
        audit.fill_request_context, dispatch_uid="liaison_audit_context"
    )
    post_create_historical_record.connect(audit.append, dispatch_uid="liaison_audit_chain")
