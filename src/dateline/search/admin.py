"""Hidden searches in the newsroom: a listing under Settings where editors hide a search
from the popular list for good, or let it back."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import HiddenSearchTerm
from .services import normalize_query


class HiddenSearchTermForm(WagtailAdminModelForm):
    def clean_query(self) -> str:
        # Stored as searches are recorded, so "  Quorvex " hides "quorvex".
        return normalize_query(self.cleaned_data["query"])


class HiddenSearchTermViewSet(SnippetViewSet):
    model = HiddenSearchTerm
    icon = "view"
    menu_label = _("Hidden searches")
    add_to_settings_menu = True
    list_display = ["query", "hidden_at"]
    edit_handler = ObjectList([FieldPanel("query")], base_form_class=HiddenSearchTermForm)
