"""The editors' workplace: fix what the importer got wrong, and have it stick.

Every save records which fields the editor changed (``edited_fields``), so a
later re-import of the same bulletin leaves those fields alone. Issues carry a
version number: an editor whose form is older than the row (because an import
updated it meanwhile) is told to reload instead of silently overwriting.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import editing, warmup
from .admin_forms import LineEndsAdminMixin, verbose_field_names
from .admin_history import HistoryAdminMixin
from .admin_review import ReviewReasonFilter, review_reasons_display
from .admin_structure import StructureAdminMixin
from .models import Article, BriefItem, Issue, Organisation, Publication, Topic

admin.site.site_header = "简报档案管理"
admin.site.site_title = "简报档案管理"
admin.site.index_title = "内容管理"

PROVENANCE = ("source_name", "source_sha256", "imported_at", "updated_at", "raw_text")
REVIEW_FIELDS = ("needs_review", "review_notes", "reviewed_by", "reviewed_at", "edited_fields_display")


class WarmsArchiveAdminMixin:
    """Any add, change or deletion by an editor warms the shared cache after the response (bulletins/warmup.py)."""

    def log_addition(self, request, obj, message):
        warmup.warm_after_response()
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        warmup.warm_after_response()
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        warmup.warm_after_response()
        return super().log_deletions(request, queryset)


class EditTrackingAdminMixin(WarmsArchiveAdminMixin, LineEndsAdminMixin):
    """Record the fields an editor changed, for the model form and its inlines."""

    @admin.display(description=_("编辑改过的字段"))
    def edited_fields_display(self, obj):
        return verbose_field_names(type(obj), obj.edited_fields)

    def save_model(self, request, obj, form, change):
        if change:
            editing.mark_edited(obj, [name for name in form.changed_data if name != "issue_version"])
            if isinstance(obj, (Article, BriefItem)):
                editing.bump_issue_version(obj.issue_id)
        if isinstance(obj, (Article, BriefItem)) and {"title", "subtitle", "body", "text"} & set(form.changed_data):
            editing.analyse(obj)  # search must find the corrected text, in either script
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE"):
                editing.mark_edited(instance, inline_form.changed_data)
            if isinstance(instance, (Article, BriefItem)) and {"title", "subtitle", "body", "text"} & set(
                inline_form.changed_data
            ):
                editing.analyse(instance)
        super().save_formset(request, form, formset, change)


class ArticleInline(LineEndsAdminMixin, admin.StackedInline):
    model = Article
    extra = 0
    fields = ("position", "section", "title", "subtitle", "byline", "region", "date", "body", "organisations", "topics")
    autocomplete_fields = ("organisations", "topics")
    show_change_link = True


class BriefItemInline(LineEndsAdminMixin, admin.TabularInline):
    model = BriefItem
    extra = 0
    fields = ("position", "date", "end_date", "text", "source", "organisations", "topics")
    autocomplete_fields = ("organisations", "topics")


STALE_MESSAGE = _("这期简报在你编辑期间已被更新（例如重新导入）。请重新打开本页，核对后再保存。")


def check_issue_version(issue_id: int, submitted: int | None) -> None:
    """Lock the issue row and refuse a form made from an older version of it.

    The lock holds until the admin's transaction ends, so an import waiting on
    the same row runs after the editor's save, never in the middle of it.
    """
    current = Issue.objects.select_for_update().filter(pk=issue_id).values_list("version", flat=True).first()
    if submitted is not None and current is not None and submitted != current:
        raise forms.ValidationError(STALE_MESSAGE, code="stale")


class IssueAdminForm(forms.ModelForm):
    """Carries the row version so a stale form cannot overwrite a newer import."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Issue
        fields = (
            "title",
            "publication",
            "publisher",
            "number",
            "total_number",
            "date",
            "needs_review",
            "review_notes",
            "version",
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            check_issue_version(self.instance.pk, cleaned.get("version"))
        return cleaned


class IssuePartAdminForm(forms.ModelForm):
    """An article or brief item edited on its own page carries its issue's version too."""

    issue_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["issue_version"].initial = self.instance.issue.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            check_issue_version(self.instance.issue_id, cleaned.get("issue_version"))
        return cleaned


class YearListFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Issue.objects.exclude(date=None).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(Issue)
class IssueAdmin(StructureAdminMixin, HistoryAdminMixin, EditTrackingAdminMixin, admin.ModelAdmin):
    form = IssueAdminForm
    list_display = ("title", "publication", "number", "date", "article_count", "brief_count", review_reasons_display)
    list_filter = ("publication", YearListFilter, "needs_review", ReviewReasonFilter)
    search_fields = ("title", "source_name", "publication__name", "articles__title")
    date_hierarchy = "date"
    readonly_fields = (*PROVENANCE, "reviewed_by", "reviewed_at", "edited_fields_display")
    inlines = [ArticleInline, BriefItemInline]
    actions = ["mark_reviewed"]
    fieldsets = (
        (None, {"fields": ("title", "publication", "publisher", "number", "date", "version")}),
        (_("审核"), {"fields": REVIEW_FIELDS}),
        (_("来源"), {"classes": ("collapse",), "fields": PROVENANCE}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("publication")
            .annotate(article_total=Count("articles", distinct=True), brief_total=Count("briefs", distinct=True))
        )

    @admin.display(description=_("文章数"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    @admin.display(description=_("简讯数"), ordering="brief_total")
    def brief_count(self, obj):
        return obj.brief_total

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = (form.cleaned_data.get("version") or obj.version) + 1
            if "needs_review" in form.changed_data and not obj.needs_review:
                obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("标记为已审核"))
    def mark_reviewed(self, request, queryset):
        updated = editing.mark_reviewed(queryset, user=request.user)
        warmup.warm_after_response()
        self.message_user(
            request,
            ngettext("已将 %d 期标记为已审核。", "已将 %d 期标记为已审核。", updated) % updated,
            messages.SUCCESS,
        )


@admin.register(Article)
class ArticleAdmin(HistoryAdminMixin, EditTrackingAdminMixin, admin.ModelAdmin):
    form = IssuePartAdminForm
    list_display = ("title", "issue", "position", "section", "date")
    list_filter = ("issue__publication", "section", "topics")
    search_fields = ("title", "subtitle", "byline", "body")
    date_hierarchy = "date"
    autocomplete_fields = ("organisations", "topics", "issue")
    readonly_fields = ("keywords", "edited_fields_display")
    exclude = ("segmented_text", "edited_fields")
    list_select_related = ("issue",)


@admin.register(BriefItem)
class BriefItemAdmin(HistoryAdminMixin, EditTrackingAdminMixin, admin.ModelAdmin):
    form = IssuePartAdminForm
    list_display = ("__str__", "issue", "position", "date", "end_date")
    list_filter = ("issue__publication", "topics")
    search_fields = ("text",)
    date_hierarchy = "date"
    autocomplete_fields = ("organisations", "topics", "issue")
    readonly_fields = ("edited_fields_display",)
    exclude = ("edited_fields",)
    list_select_related = ("issue",)


@admin.register(Organisation)
class OrganisationAdmin(WarmsArchiveAdminMixin, LineEndsAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "level", "province", "region", "parent")
    list_filter = ("kind", "level", "province")
    search_fields = ("name", "aliases", "region")
    autocomplete_fields = ("parent",)


@admin.register(Publication)
class PublicationAdmin(WarmsArchiveAdminMixin, LineEndsAdminMixin, admin.ModelAdmin):
    list_display = ("name", "publisher")
    search_fields = ("name", "publisher__name")
    autocomplete_fields = ("publisher",)


@admin.register(Topic)
class TopicAdmin(WarmsArchiveAdminMixin, LineEndsAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
