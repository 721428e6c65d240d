"""What every history row records besides django-simple-history's who and when."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryAuditFields(models.Model):
    """From where and in which request a change was made (see core.audit)."""

    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)

    class Meta:
        abstract = True
