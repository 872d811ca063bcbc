"""The story body's field: Wagtail's StreamField, made once per field instead of per row."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.functional import cached_property
from wagtail import fields


class StreamField(fields.StreamField):
    """Wagtail's StreamField builds a new JSONField each time it reads a row; building a
    model field is a twentieth of an uncached story's time. The JSONField holds nothing
    but its encoder, so one per field serves every row."""

    @cached_property
    def json_field(self) -> models.JSONField:
        return models.JSONField(encoder=DjangoJSONEncoder)

    def deconstruct(self) -> tuple:
        # The same column and the same migrations as Wagtail's own field.
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.StreamField", args, kwargs
