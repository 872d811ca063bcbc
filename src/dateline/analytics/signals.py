from wagtail.signals import page_unpublished

from . import services


def forget_countable(sender, instance, **kwargs) -> None:
    """This process stops counting an unpublished story at once; others within seconds."""
    services._countable.pop(instance.pk, None)


page_unpublished.connect(forget_countable)
