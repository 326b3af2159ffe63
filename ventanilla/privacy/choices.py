from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    RECEIVE_SERVICES = "receive_services", _("Receive services from the center")
    SHARE_WITH_REFERRALS = (
        "share_with_referrals",
        _("Share data with the organizations the person is referred to"),
    )
    ANONYMOUS_STATISTICS = "anonymous_statistics", _("Anonymous statistics")


# There is deliberately no purpose for immigration enforcement: no code path can share
# identifiable data for it (ARCHITECTURE.md, cross-cutting rules).
