"""The reader's forms: signing up (with a honeypot field that people never see) and the
preferences page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NewsletterList

# Named like a field a form-filling robot fills in; hidden from people and screen readers.
HONEYPOT = "website"


class SignupForm(forms.Form):
    email = forms.CharField(label=_("Your e-mail address"), max_length=254)
    lists = forms.ModelMultipleChoiceField(
        label=_("Newsletters"),
        queryset=NewsletterList.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, offered, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = offered

    def filled_by_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the newsletters"))
    lists = forms.ModelMultipleChoiceField(
        label=_("Newsletters"),
        queryset=NewsletterList.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, languages, offered, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages
        self.fields["lists"].queryset = offered
