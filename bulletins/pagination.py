"""API pagination, in its own module so that DRF settings can import it without import cycles."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class ArchivePagination(PageNumberPagination):
    """count / next / previous / results, with the same page_size parameter and sizes as the HTML lists."""

    page_size = settings.ARCHIVE_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.ARCHIVE_MAX_PAGE_SIZE
