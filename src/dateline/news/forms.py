"""The newsroom's form for a story."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    """A new story opens ready to write: one empty paragraph in the body (an empty body
    made the editor show "The minimum number of items is 1" before anything was sent),
    and the editor's own author in the byline when their account is linked to one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and not self.is_bound:
            self._start_new_story()

    def _start_new_story(self) -> None:
        from .models import own_author  # the models name this form as theirs

        if not self.instance.body:
            body = self.fields["body"].block
            self.initial["body"] = body.to_python([{"type": "paragraph", "value": ""}])
        author = own_author(self.for_user, self.instance.locale)
        bylines = self.formsets.get("bylines")
        if author is not None and bylines is not None and not bylines.initial_form_count():
            bylines.initial_extra = [{"author": author.pk}]
