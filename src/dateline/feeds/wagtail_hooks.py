from wagtail import hooks

from .images import CoverOperation


@hooks.register("register_image_operations")
def register_cover_operation():
    return [("cover", CoverOperation)]
