"""The newsroom's form for a story."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateTimeInput
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

    material_update = forms.BooleanField(
        label=_("This is a material update"),
        required=False,
        help_text=_(
            "Tick when the story changed in substance (new facts, a new development): "
            "readers see “Updated” with the time of this save. Leave it for typo fixes."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and not self.is_bound:
            self._start_new_story()

    def clean(self) -> dict:
        cleaned = super().clean()
        never_published = self.instance.first_published_at is None
        corrections = self.formsets.get("corrections")
        if never_published and corrections is not None:
            # The inline forms are cleaned after this form: read what was sent.
            added = [
                form
                for form in corrections.forms
                if form.has_changed() and not ("DELETE" in form.fields and form["DELETE"].value())
            ]
            if added:
                self.add_error(
                    None,
                    _(
                        "A correction can only be noted on a story that has been published: "
                        "fix the draft instead."
                    ),
                )
        self._check_related_stories()
        if cleaned.get("material_update") and never_published:
            self.add_error(
                "material_update", _("A story that has not been published has no update yet.")
            )
        return cleaned

    def _check_related_stories(self) -> None:
        related = self.formsets.get("related_stories")
        if related is None:
            return
        chosen = [
            form["story"].value()
            for form in related.forms
            if not ("DELETE" in form.fields and form["DELETE"].value())
        ]
        chosen = [str(pk) for pk in chosen if pk]
        if self.instance.pk and str(self.instance.pk) in chosen:
            self.add_error(None, _("A story cannot be related to itself."))
        article_model = apps.get_model("news", "ArticlePage")
        if article_model.objects.filter(pk__in=[pk for pk in chosen if pk.isdigit()]).exclude(
            locale=self.instance.locale
        ):
            self.add_error(None, _("Choose related stories in the story's own language."))

    def save(self, commit: bool = True):
        if self.cleaned_data.get("material_update"):
            self.instance.updated_at = timezone.now()
        return super().save(commit=commit)

    def _start_new_story(self) -> None:
        if not self.instance.body:
            body = self.fields["body"].block
            self.initial["body"] = body.to_python([{"type": "paragraph", "value": ""}])
        author = own_author(self.for_user, self.instance.locale)
        bylines = self.formsets.get("bylines")
        if author is not None and bylines is not None and not bylines.initial_form_count():
            bylines.initial_extra = [{"author": author.pk}]


class TranslationAssignmentForm(forms.Form):
    """Who translates a story into one language, and by when (in the newsroom's time)."""

    assignee = forms.ModelChoiceField(queryset=None, label=_("Translator"))
    due_at = forms.DateTimeField(
        required=False,
        label=_("Due"),
        help_text=_("In the newsroom's time zone. Leave empty for no due time."),
        widget=AdminDateTimeInput(),
    )
    note = forms.CharField(
        required=False,
        max_length=300,
        label=_("Note for the translator"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, translators, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = translators
        self.fields["assignee"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )
