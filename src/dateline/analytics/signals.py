from dateline.news import events

from . import services


def forget_countable(sender, change: events.ContentChange, **kwargs) -> None:
    """This process stops counting a story taken down at once; others within seconds."""
    if change.takes_down:
        for page in change.pages:
            services._countable.pop(page.pk, None)


events.content_changed.connect(forget_countable, dispatch_uid="analytics-content-changed")
