"""The admin's picture upload form: Wagtail's checks of type, size and pixel count, and
a file that cannot be read to the end is refused with a message instead of a 500."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

DAMAGED = _("This file is damaged or is not a picture: it could not be read.")


class CheckedImageField(WagtailImageField):
    def to_python(self, data):
        try:
            upload = super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:  # noqa: BLE001 - any failure to parse hostile bytes
            raise ValidationError(DAMAGED, code="invalid_image") from error
        if upload is not None:
            self.check_decodes(upload)
        return upload

    def check_decodes(self, upload) -> None:
        """Decode the picture once, now that its pixel count is known to be bounded, so a
        truncated or corrupt file fails here rather than when a page needs a rendition.
        JPEGs are decoded at an eighth of their size: enough to read them to the end."""
        try:
            upload.seek(0)
            with PILImage.open(upload) as picture:
                if picture.format == "JPEG":
                    picture.draft("L", (max(1, picture.width // 8), max(1, picture.height // 8)))
                picture.load()
        except Exception as error:  # noqa: BLE001
            raise ValidationError(DAMAGED, code="invalid_image") from error
        finally:
            upload.seek(0)


class NewsImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        uploaded = self.fields.get("file")
        if uploaded is not None:
            # Made per form, as Wagtail's own field is, so it reads the current limits.
            checked = CheckedImageField(label=uploaded.label, required=uploaded.required)
            checked.widget.attrs.update(uploaded.widget.attrs)
            self.fields["file"] = checked
