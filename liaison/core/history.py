"""What every history row records besides django-simple-history's who and when, and
which history rows the pages show."""

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _


class HistoryAuditFields(models.Model):
    """From where and in which request a change was made (see core.audit)."""

    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)

    class Meta:
        abstract = True


def chained[Q: models.QuerySet[Any]](rows: Q) -> Q:
    """Only the history rows that are in the audit chain: a row written outside Liaison
    (inserted by hand, without its link) is not a change and is never shown as one.
    One subquery on the links' unique index, whatever the number of rows."""
    from liaison.core.models import AuditLink

    opts = rows.model._meta
    links = AuditLink.objects.filter(
        history_type__app_label=opts.app_label,
        history_type__model=opts.model_name,
        history_id=OuterRef("pk"),
    )
    return rows.filter(Exists(links))
