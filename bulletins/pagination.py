"""API pagination, in its own module so that DRF settings can import it without import cycles."""

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class ArchivePagination(PageNumberPagination):
    """count / next / previous / results, with the same page_size parameter as the HTML lists.

    Why strict where the HTML lists are lenient: a program that sends
    ``page_size=abc`` has a bug it should hear about (a 400 naming the
    parameter), while a person who edits a URL is better served by the default
    page. A size above the cap is still cut to the cap, as documented.
    """

    page_size = settings.ARCHIVE_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.ARCHIVE_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"每页条数须为正整数（最多 {self.max_page_size}，更大按 {self.max_page_size} 计）。"
                    ]
                }
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"]["minimum"] = 1
        return parameters
