"""Connects the audit chain to django-simple-history's signals."""

from simple_history.signals import post_create_historical_record, pre_create_historical_record

from liaison.core import audit


def connect() -> None:
    pre_create_historical_record.connect(
        audit.fill_request_context, dispatch_uid="liaison_audit_context"
    )
    post_create_historical_record.connect(audit.append, dispatch_uid="liaison_audit_chain")
