"""The newsroom's form for an edition: its list, subject, the editor's note at the top,
and its stories, chosen from those published in the last two weeks in the list's
language (a digest's are filled in by the digest; a hand-sent list's by the editor)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from dateline.news.models import ArticlePage

RECENT = timedelta(days=14)


class StoryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, story: ArticlePage) -> str:
        day = timezone.localtime(story.first_published_at).strftime("%Y-%m-%d")
        return f"[{story.locale.language_code}] {day} · {story.title}"


class EditionForm(WagtailAdminModelForm):
    chosen_stories = StoryChoice(
        label=_("Stories"),
        queryset=ArticlePage.objects.none(),
        required=False,
        help_text=_("In the order shown on the site, newest first; in the list's language."),
        widget=forms.SelectMultiple(attrs={"size": 14}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        recent = (
            ArticlePage.objects.live()
            .public()
            .filter(first_published_at__gte=timezone.now() - RECENT)
            .select_related("locale")
            .order_by("-first_published_at")
        )
        chosen_ids = [item["id"] for item in (self.instance.stories or [])]
        self.fields["chosen_stories"].queryset = recent | ArticlePage.objects.filter(
            pk__in=chosen_ids
        )
        self.initial.setdefault("chosen_stories", chosen_ids)
        if self.instance.pk and self.instance.state != "draft":
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        cleaned = super().clean()
        newsletter = cleaned.get("newsletter") or getattr(self.instance, "newsletter", None)
        stories = cleaned.get("chosen_stories") or []
        if newsletter is not None:
            others = [story for story in stories if story.locale_id != newsletter.locale_id]
            if others:
                self.add_error(
                    "chosen_stories",
                    _("Choose stories in the list's language only: %(titles)s")
                    % {"titles": "; ".join(story.title for story in others[:3])},
                )
        return cleaned

    def save(self, commit: bool = True):
        kept = {item["id"]: item.get("part", "section") for item in (self.instance.stories or [])}
        stories = sorted(
            self.cleaned_data.get("chosen_stories") or [],
            key=lambda story: story.first_published_at,
            reverse=True,
        )
        self.instance.stories = [
            {"id": story.pk, "part": kept.get(story.pk, "section")} for story in stories
        ]
        return super().save(commit)
