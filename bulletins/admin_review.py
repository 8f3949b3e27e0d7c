"""The review queue as editors read it: reasons in words, a filter per reason, who reviewed and when.

Why words instead of the ``needs_review`` tick: a green tick beside an issue
reads as "approved", the opposite of "needs review". The importer writes the
parser's reasons into ``review_notes`` joined by "；" (see
``bulletins.importing.rows``), so the reasons offered by the filter are exactly
the ones present in the archive, and an editor's own note is one more reason.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Issue

REASON_SEPARATOR = "；"


def review_reasons(issue: Issue) -> list[str]:
    """The reasons an issue waits for review; none once it was reviewed."""
    if not issue.needs_review:
        return []
    return [reason.strip() for reason in issue.review_notes.split(REASON_SEPARATOR) if reason.strip()] or [
        str(_("未注明原因"))
    ]


class ReviewReasonFilter(admin.SimpleListFilter):
    """Filter the issue list by one review reason, or by "no review needed"."""

    title = _("审核原因")
    parameter_name = "reason"
    NONE = "__none__"

    def lookups(self, request, model_admin):
        reasons = set()
        for notes in Issue.objects.filter(needs_review=True).values_list("review_notes", flat=True):
            reasons.update(r.strip() for r in notes.split(REASON_SEPARATOR) if r.strip())
        return [*((reason, reason) for reason in sorted(reasons)), (self.NONE, _("无需审核"))]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value == self.NONE:
            return queryset.filter(needs_review=False)
        return queryset.filter(needs_review=True, review_notes__contains=value)


@admin.display(description=_("待审核原因"))
def review_reasons_display(issue: Issue) -> str:
    return "；".join(review_reasons(issue)) or "—"
