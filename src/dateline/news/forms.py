"""The newsroom's form for a story."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale


def own_author(user: AbstractBaseUser | AnonymousUser | None, locale: Locale) -> Model | None:
    """The author an account writes as, in `locale` where the author has a translation
    there (the account may be linked to any of the translations), else as linked."""
    if user is None or not user.is_authenticated:
        return None
    # Looked up by name: the models module names this form as the article's.
    author_model = apps.get_model("news", "Author")
    linked = list(author_model.objects.filter(user=user).order_by("pk"))
    if not linked:
        return None
    in_locale = author_model.objects.filter(
        translation_key__in=[author.translation_key for author in linked], locale=locale
    ).order_by("pk")
    return in_locale.first() or linked[0]


class ArticlePageForm(WagtailAdminPageForm):
    """A new story opens ready to write: one empty paragraph in the body (an empty body
    made the editor show "The minimum number of items is 1" before anything was sent),
    and the editor's own author in the byline when their account is linked to one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and not self.is_bound:
            self._start_new_story()

    def _start_new_story(self) -> None:
        if not self.instance.body:
            body = self.fields["body"].block
            self.initial["body"] = body.to_python([{"type": "paragraph", "value": ""}])
        author = own_author(self.for_user, self.instance.locale)
        bylines = self.formsets.get("bylines")
        if author is not None and bylines is not None and not bylines.initial_form_count():
            bylines.initial_extra = [{"author": author.pk}]
