"""Window sizes the browser tests use."""

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # an everyday phone, in CSS pixels
