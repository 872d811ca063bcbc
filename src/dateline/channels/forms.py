"""A channel's settings form: the access token is typed in but never shown back (only its
last four characters), and an empty field keeps the one saved."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import services
from .models import Channel

TOKEN_LENGTH = 1000


class ChannelForm(WagtailAdminModelForm):
    token = forms.CharField(
        label=_("access token"),
        required=False,
        max_length=TOKEN_LENGTH,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Telegram: the bot's token from @BotFather (the bot must be an administrator of "
            "the channel). X: an OAuth 2 user access token with tweet.write. Facebook: a Page "
            "access token. Stored encrypted; leave empty to keep the saved one."
        ),
    )

    class Meta:
        model = Channel
        fields = ["name", "network", "locale", "enabled", "account", "breaking_prefix"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.token_hint:
            self.fields["token"].help_text = _("Saved: %(hint)s. Type a new one to replace it.") % {
                "hint": self.instance.token_hint
            }

    def clean(self):
        cleaned = super().clean()
        network = cleaned.get("network")
        account = (cleaned.get("account") or "").strip()
        cleaned["account"] = account
        if network in (Channel.TELEGRAM, Channel.FACEBOOK) and not account:
            self.add_error(
                "account",
                _("Telegram needs the channel's @name or chat id; Facebook the Page's id."),
            )
        if network == Channel.FACEBOOK and account and not account.isdigit():
            self.add_error("account", _("A Facebook Page's id is a number."))
        if not cleaned.get("token") and not self.instance.sealed_token:
            self.add_error("token", _("The channel needs an access token."))
        if any(char.isspace() for char in cleaned.get("token") or ""):
            self.add_error("token", _("An access token has no spaces."))
        return cleaned

    def save(self, commit: bool = True):
        if self.cleaned_data.get("token"):
            services.set_token(self.instance, self.cleaned_data["token"])
        return super().save(commit)
