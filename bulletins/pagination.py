"""API pagination, in its own module so that DRF settings can import it without import cycles."""

from rest_framework.pagination import PageNumberPagination


class ArchivePagination(PageNumberPagination):
    """count / next / previous / results, with the same page_size parameter as the HTML lists."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
