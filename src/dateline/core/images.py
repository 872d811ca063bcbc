"""Pictures at the sizes search engines and link previews ask for."""

from __future__ import annotations

from wagtail.images.image_operations import FillOperation

# Google asks for at least 1200 px wide pictures in these three shapes (Discover, Top
# stories); Open Graph and X cards want 1.91:1 at 1200 × 630.
STRUCTURED_DATA_SPECS = ("cover-1200x1200", "cover-1200x900", "cover-1200x675")
SOCIAL_SPEC = "cover-1200x630"
FEED_SPEC = "cover-1200x675"


class CoverOperation(FillOperation):
    """Wagtail's `fill`, except that the result is always exactly the size asked for: a
    picture smaller than that is scaled up after the crop instead of being left small."""

    def run(self, transform, image):
        transform = super().run(transform, image)
        if transform.size != (self.width, self.height):
            transform = transform.resize((self.width, self.height))
        return transform


def rendition(image, spec: str):
    """The rendition, or None when the original file is missing or unreadable."""
    if image is None:
        return None
    try:
        return image.get_rendition(spec)
    except (OSError, ValueError):
        return None
