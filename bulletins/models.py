"""The bulletin archive's data model.

Why it is shaped this way: an issue is identified by the bytes it came from
(``source_sha256``) and, for numbered bulletins, by ``(publication, number)``,
so importing the same file twice does no harm. Every editable row keeps a list
of the fields an editor changed (``edited_fields``) so a re-import can leave
them alone. Search vectors are generated columns over jieba-segmented text:
the database keeps them current, no signals needed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .history import ArchiveHistoricalRecords
from .links import detail_url
from .querysets import ArticleQuerySet, BriefItemQuerySet, IssueQuerySet, OrganisationQuerySet, TopicQuerySet


def _history(*excluded: str) -> ArchiveHistoricalRecords:
    """Every version of the row (see ``bulletins.history``); derived and bulky columns are not copied."""
    return ArchiveHistoricalRecords(excluded_fields=list(excluded), cascade_delete_history=False)


# Derived from the text (search) or kept by the database (trigger, generated column): not worth a version.
PART_UNVERSIONED = ("segmented_text", "search_text", "search_vector", "day")


def _edited_fields():
    return ArrayField(
        models.CharField(max_length=64),
        default=list,
        blank=True,
        verbose_name=_("编辑改过的字段"),
        help_text=_("编辑在后台改过的字段；重新导入时保留这些字段。"),
    )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        RED_CROSS = "redcross", _("红十字会")
        CHARITY = "charity", _("慈善会")
        UNION = "union", _("工会")
        WOMEN = "women", _("妇联")
        DISABLED = "disabled", _("残联")
        YOUTH = "youth", _("共青团")
        SCIENCE = "science", _("科协")
        GOVERNMENT_OFFICE = "government_office", _("政府办公室")
        GOVERNMENT = "government", _("政府机关")
        UNIVERSITY = "university", _("高校")
        HOSPITAL = "hospital", _("医院")
        OTHER = "other", _("其他")

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices, default=Level.OTHER)
    region = models.CharField(_("地区"), max_length=100, blank=True)
    province = models.CharField(_("省份"), max_length=20, blank=True, help_text=_("所在省级行政区的全称。"))
    parent = models.ForeignKey(
        "self", verbose_name=_("上级组织"), null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True, verbose_name=_("别名"))

    objects = OrganisationQuerySet.as_manager()
    history = _history()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["name"]
        indexes = [models.Index(fields=["level", "name"], name="org_level_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return detail_url("bulletins:organisation_detail", self.pk)

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class Topic(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    slug = models.SlugField(_("标识"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    keywords = ArrayField(
        models.CharField(max_length=50),
        default=list,
        blank=True,
        verbose_name=_("关键词"),
        help_text=_("出现这些词的文章和简讯归入此主题（以逗号分隔）。"),
    )

    objects = TopicQuerySet.as_manager()
    history = _history()

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return detail_url("bulletins:topic_detail", self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Publication(models.Model):
    """A bulletin series. Keyed by name and publisher: 工作简报 is the name of many organisations' series."""

    name = models.CharField(_("名称"), max_length=200)
    publisher = models.ForeignKey(
        Organisation,
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )

    class Meta:
        verbose_name = _("刊物")
        verbose_name_plural = _("刊物")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "publisher"], nulls_distinct=False, name="publication_unique_name_publisher"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.name, self.publisher.name if self.publisher_id else "")


class Issue(models.Model):
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("刊物"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    publisher = models.ForeignKey(
        Organisation,
        verbose_name=_("发布单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
        help_text=_("刊物的主办单位；专题页没有刊物时，为页面所写的组织。"),
    )
    number = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    total_number = models.PositiveIntegerField(_("总期号"), null=True, blank=True, help_text=_("刊头的“总第N期”。"))
    date = models.DateField(_("日期"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=300)
    source_name = models.CharField(_("来源文件"), max_length=500)
    source_sha256 = models.CharField(_("来源 SHA-256"), max_length=64, unique=True)
    raw_text = models.TextField(_("原文"))
    original = models.FileField(
        _("原件"),
        max_length=300,
        blank=True,
        db_default="",
        editable=False,
        help_text=_("导入的原始文件（PDF、Word、网页），字节不变；由文本导入的期刊没有原件。"),
    )
    original_kind = models.CharField(_("原件类型"), max_length=10, blank=True, db_default="", editable=False)
    imported_at = models.DateTimeField(_("导入时间"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    needs_review = models.BooleanField(_("待审核"), default=False)
    review_notes = models.TextField(_("审核说明"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    edited_fields = _edited_fields()
    version = models.PositiveIntegerField(
        _("版本"), default=1, help_text=_("每次保存加一；防止后台编辑与导入互相覆盖。")
    )
    structure_edited = models.BooleanField(
        _("结构已由编辑修改"),
        default=False,
        db_default=False,
        help_text=_("编辑拆分、合并、转换或调整过文章顺序；重新导入时不再增删或移动文章和简讯。"),
    )

    objects = IssueQuerySet.as_manager()
    # The raw text is the source file's, identified by its SHA-256 in every version.
    history = _history("raw_text", "updated_at")

    class Meta:
        verbose_name = _("期刊")
        verbose_name_plural = _("期刊")
        ordering = ["-date", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"],
                condition=Q(publication__isnull=False, number__isnull=False),
                name="issue_unique_publication_number",
            ),
            models.CheckConstraint(condition=Q(number__isnull=True) | Q(number__gt=0), name="issue_number_positive"),
            models.CheckConstraint(condition=Q(source_sha256__regex=r"^[0-9a-f]{64}$"), name="issue_source_sha256_hex"),
        ]
        indexes = [
            models.Index(fields=["date"], name="issue_date_idx"),
            # The order of the issue list and the home page's latest issues (IssueQuerySet.newest_first):
            # read off the index, the first page needs no sort of every issue.
            models.Index(
                F("date").desc(nulls_last=True),
                F("number").desc(nulls_last=True),
                F("id").desc(),
                name="issue_newest_first_idx",
            ),
            models.Index(fields=["publication", "date"], name="issue_publication_date_idx"),
            models.Index(fields=["source_name"], name="issue_source_name_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_url("bulletins:issue_detail", self.pk)


class IssuePart(models.Model):
    """What articles and brief items share: a place in an issue, search text, editors' marks.

    ``search_vector`` is generated by PostgreSQL from ``segmented_text`` (jieba
    tokens joined by spaces) with the 'simple' configuration, so the index is
    always current whatever code or editor changed the row.
    """

    position = models.PositiveIntegerField(_("顺序"))
    day = models.DateField(
        _("排序日期"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("事件日期，没有时取期刊日期；由数据库触发器维护，供按时间排序。"),
    )
    segmented_text = models.TextField(_("分词文本"), blank=True, editable=False)
    # The text in normal form (simplified script, see chinese_script.search_form) when that differs from the
    # printed text, else empty: the two-character index (migration 0012) reads this or the printed text.
    search_text = models.TextField(_("检索文本"), blank=True, default="", editable=False)
    search_vector = models.GeneratedField(
        expression=SearchVector("segmented_text", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    edited_fields = _edited_fields()
    import_position = models.PositiveIntegerField(
        _("导入时的顺序"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("编辑首次修改期刊结构时记下的原文顺序；重新导入按它对应原文中的文章和简讯。"),
    )

    class Meta:
        abstract = True

    @property
    def effective_date(self):
        """The event date, else the issue's date: what a reader means by 'when'."""
        return self.date or self.issue.date


class Article(IssuePart):
    issue = models.ForeignKey(Issue, verbose_name=_("期刊"), on_delete=models.CASCADE, related_name="articles")
    section = models.CharField(_("栏目"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=500)
    subtitle = models.CharField(_("副标题"), max_length=500, blank=True)
    byline = models.CharField(_("作者"), max_length=200, blank=True)
    region = models.CharField(_("地区"), max_length=100, blank=True)
    body = models.TextField(_("正文"), blank=True)
    captions = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("图片说明"))
    date = models.DateField(_("事件日期"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("提及的组织"), blank=True, related_name="articles"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("主题"), blank=True, related_name="articles")
    keywords = ArrayField(models.CharField(max_length=50), default=list, blank=True, verbose_name=_("关键词"))
    pages = ArrayField(
        models.PositiveIntegerField(),
        default=list,
        blank=True,
        verbose_name=_("所在页"),
        help_text=_("原件中印有此文的页码（由 PDF 导入时得出）。"),
    )

    objects = ArticleQuerySet.as_manager()
    history = _history(*PART_UNVERSIONED)

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["issue", "position"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "position"], name="article_unique_issue_position"),
            models.CheckConstraint(condition=Q(position__gt=0), name="article_position_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
        ]
        indexes = [
            models.Index(fields=["date"], name="article_date_idx"),
            models.Index(
                F("day").desc(nulls_last=True), F("issue").desc(), "position", name="article_newest_first_idx"
            ),
            models.Index(fields=["section"], name="article_section_idx"),
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            GinIndex(fields=["keywords"], name="article_keywords_gin"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_url("bulletins:article_detail", self.pk)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]


class BriefItem(IssuePart):
    issue = models.ForeignKey(Issue, verbose_name=_("期刊"), on_delete=models.CASCADE, related_name="briefs")
    date = models.DateField(_("日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    text = models.TextField(_("内容"))
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("条目末尾括号里的供稿人。"))
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("提及的组织"), blank=True, related_name="briefs"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("主题"), blank=True, related_name="briefs")

    objects = BriefItemQuerySet.as_manager()
    history = _history(*PART_UNVERSIONED)

    class Meta:
        verbose_name = _("简讯")
        verbose_name_plural = _("简讯")
        ordering = ["issue", "position"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "position"], name="brief_unique_issue_position"),
            models.CheckConstraint(condition=Q(position__gt=0), name="brief_position_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(date__isnull=False, end_date__gte=models.F("date")),
                name="brief_end_date_not_before_date",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="brief_text_not_empty"),
        ]
        indexes = [
            models.Index(fields=["date"], name="brief_date_idx"),
            models.Index(F("day").desc(nulls_last=True), F("issue").desc(), "position", name="brief_newest_first_idx"),
            GinIndex(fields=["search_vector"], name="brief_search_gin"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return f"{detail_url('bulletins:issue_detail', self.issue_id)}#brief-{self.position}"


class Page(models.Model):
    """One printed page of an issue's original, rendered once at import to a screen image and a thumbnail."""

    issue = models.ForeignKey(Issue, verbose_name=_("期刊"), on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("页码"))
    width = models.PositiveIntegerField(_("宽（像素）"))
    height = models.PositiveIntegerField(_("高（像素）"))
    image = models.FileField(_("页面图像"), max_length=300)
    thumbnail = models.FileField(_("缩略图"), max_length=300)

    class Meta:
        verbose_name = _("原件页面")
        verbose_name_plural = _("原件页面")
        ordering = ["issue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="page_unique_issue_number"),
            models.CheckConstraint(condition=Q(number__gt=0), name="page_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.issue} · {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("bulletins:page_detail", args=[self.issue_id, self.number])
