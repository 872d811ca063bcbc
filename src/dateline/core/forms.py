"""The admin's picture upload form: Wagtail's checks of type, size and pixel count, the
pixels of every frame of an animation counted too, and a file that cannot be read to the
end is refused with a message instead of a 500."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

DAMAGED = _("This file is damaged or is not a picture: it could not be read.")
TOO_MANY_FRAME_PIXELS = _(
    "This animation has too many pixels: %(frames)s frames of %(width)s × %(height)s make "
    "%(pixels)s pixels, and a picture may have at most %(limit)s."
)


class CheckedImageField(WagtailImageField):
    def to_python(self, data):
        try:
            upload = super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:  # noqa: BLE001 - any failure to parse hostile bytes
            raise ValidationError(DAMAGED, code="invalid_image") from error
        if upload is not None:
            self.check_frame_pixels(upload)
            self.check_decodes(upload)
        return upload

    def check_frame_pixels(self, upload) -> None:
        """Wagtail counts one frame of a GIF or WebP (Willow's Pillow plugin reports no
        animation), yet an animation decodes frame by frame: count them all."""
        if self.max_image_pixels is None:
            return
        try:
            upload.seek(0)
            with PILImage.open(upload) as picture:
                width, height = picture.size
                frames = getattr(picture, "n_frames", 1)
        except Exception as error:  # noqa: BLE001 - any failure to parse hostile bytes
            raise ValidationError(DAMAGED, code="invalid_image") from error
        finally:
            upload.seek(0)
        pixels = width * height * frames
        if pixels > self.max_image_pixels:
            raise ValidationError(
                TOO_MANY_FRAME_PIXELS,
                code="file_too_many_pixels",
                params={
                    "frames": frames,
                    "width": width,
                    "height": height,
                    "pixels": pixels,
                    "limit": self.max_image_pixels,
                },
            )

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
