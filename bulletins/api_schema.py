"""What the OpenAPI schema says beyond the serializers: the error answers the API really gives.

Why: a list answers 400 with a sentence and a field map when a parameter is
invalid (an unknown id, a date that does not exist, a range that ends before
it starts), and any answer can be a 404 (an unknown object, a page past the
end). A client generated from a schema that lists only 200 cannot handle them.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="A sentence a person can act on.")


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The messages for each invalid parameter, by parameter name.",
    )


class ArchiveAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the 400 of invalid filters and the 404 of unknown objects and pages.

    Query parameters allow an empty value: ``date_before=`` means no such
    filter, as on the HTML lists whose forms send empty fields.
    """

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter.get("in") == "query":
                parameter["allowEmptyValue"] = True
        return operation

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        if self._is_list_view():
            responses["400"] = self._get_response_for_code(ValidationErrorSerializer, "400", direction=direction)
        responses["404"] = self._get_response_for_code(ErrorSerializer, "404", direction=direction)
        return responses
