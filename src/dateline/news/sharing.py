"""Where a reader shares a story. This table is the only list of networks: the article
page's share buttons and the API's `share_links` are both made from it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (network, what a screen reader announces, address with {url} and {title} URL-encoded)
NETWORKS: tuple[tuple[str, Promise, str], ...] = (
    ("x", _("Share on X"), "https://x.com/intent/post?url={url}&text={title}"),
    ("facebook", _("Share on Facebook"), "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("telegram", _("Share on Telegram"), "https://t.me/share/url?url={url}&text={title}"),
    ("whatsapp", _("Share on WhatsApp"), "https://wa.me/?text={title}%20{url}"),
    ("vk", _("Share on VK"), "https://vk.com/share.php?url={url}"),
    (
        "linkedin",
        _("Share on LinkedIn"),
        "https://www.linkedin.com/sharing/share-offsite/?url={url}",
    ),
    ("email", _("Share by e-mail"), "mailto:?subject={title}&body={url}"),
)


@dataclass(frozen=True)
class ShareLink:
    network: str
    label: str
    url: str

    @property
    def opens_elsewhere(self) -> bool:
        """A network's page opens in a new tab; e-mail opens the reader's mail program."""
        return not self.url.startswith("mailto:")


def share_links(url: str, title: str) -> list[ShareLink]:
    """Share addresses for a story's canonical URL, in the order the page shows them."""
    encoded = {"url": quote(url, safe=""), "title": quote(title, safe="")}
    return [
        ShareLink(network, label, address.format(**encoded)) for network, label, address in NETWORKS
    ]
