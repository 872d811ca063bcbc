"""Where a reader shares a story: the same networks the article page offers."""

from __future__ import annotations

from urllib.parse import quote


def share_links(url: str, title: str) -> dict[str, str]:
    """Share addresses for a story's canonical URL, by network."""
    u, t = quote(url, safe=""), quote(title, safe="")
    return {
        "x": f"https://x.com/intent/post?url={u}&text={t}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={u}",
        "telegram": f"https://t.me/share/url?url={u}&text={t}",
        "whatsapp": f"https://wa.me/?text={t}%20{u}",
        "vk": f"https://vk.com/share.php?url={u}",
        "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={u}",
        "email": f"mailto:?subject={t}&body={u}",
    }
