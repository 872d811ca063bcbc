"""Stories as IPTC ninjs 2.2 (News in JSON), the form news agencies and partner
newsrooms exchange stories in: headline, summary, body as HTML and text, byline, the lead
picture with its renditions and credit, the site's address, tags and the source."""

from __future__ import annotations

from django.conf import settings

from dateline.analytics.services import view_count
from dateline.news.models import ArticlePage

from . import content

VERSION = "2.2"
SCHEMA = f"http://www.iptc.org/std/ninjs/ninjs-schema_{VERSION}.json"
PICTURE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


def item_uri(article: ArticlePage) -> str:
    return f"{settings.DATELINE_BASE_URL.rstrip('/')}/api/v1/articles/{article.pk}"


def _time(value) -> str | None:
    return value.isoformat() if value else None


def _picture(data: dict, article: ArticlePage) -> dict:
    picture = {
        "name": "featureimage",
        "uri": f"{item_uri(article)}#lead-picture",
        "type": "picture",
        "renditions": [
            {
                "name": rendition["name"],
                "href": rendition["url"],
                "width": rendition["width"],
                "height": rendition["height"],
                **_picture_type(rendition["url"]),
            }
            for rendition in data["renditions"]
        ],
    }
    if data["caption"]:
        picture["descriptions"] = [{"role": "caption", "value": data["caption"]}]
    if data["credit"]:
        picture["by"] = data["credit"]
        picture["copyrightnotice"] = data["credit"]
    return picture


def _picture_type(url: str) -> dict:
    kind = PICTURE_TYPES.get(url.rsplit(".", 1)[-1].lower())
    return {"contenttype": kind} if kind else {}


def item(article: ArticlePage, shown: dict | None = None) -> dict:
    """One published story as a ninjs 2.2 object; `shown` as for `content.detail`."""
    data = content.detail(article, view_count(article), shown)
    result: dict = {
        "standard": {"name": "ninjs", "version": VERSION, "schema": SCHEMA},
        "uri": item_uri(article),
        "type": "text",
        "representationtype": "full",
        "pubstatus": "usable",
        "language": data["lang"],
        "firstcreated": _time(data["published_at"]),
        "versioncreated": _time(data["updated_at"]),
        "headlines": [{"role": "main", "value": data["headline"]}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": data["body_html"],
                "charcount": len(data["body_text"]),
                "wordcount": len(data["body_text"].split()),
            },
            {"role": "main", "contenttype": "text/plain", "value": data["body_text"]},
        ],
        "renditions": [{"name": "web", "href": data["url"], "contenttype": "text/html"}],
        "altids": [{"role": "translation", "value": t["url"]} for t in data["translations"]],
    }
    if data["standfirst"]:
        result["descriptions"] = [{"role": "summary", "value": data["standfirst"]}]
    if data["authors"]:
        result["by"] = ", ".join(author["name"] for author in data["authors"])
        result["people"] = [
            {"name": author["name"], "rel": "author", "uri": author["url"]}
            for author in data["authors"]
        ]
    subjects = [{"name": tag["name"], "uri": tag["url"], "rel": "about"} for tag in data["tags"]]
    if data["section"]:
        section = data["section"]
        subjects.insert(0, {"name": section["title"], "rel": "section", "literal": section["slug"]})
    if subjects:
        result["subjects"] = subjects
    if data["source"]:
        source = {"name": data["source"], "role": "source"}
        if article.source_url:
            source["uri"] = article.source_url
        result["infosources"] = [source]
    if data["corrections"]:
        result["ednote"] = " ".join(note["text"] for note in data["corrections"])
    if data["lead_image"]:
        result["associations"] = [_picture(data["lead_image"], article)]
    return result


def items(articles: list[ArticlePage]) -> list[dict]:
    shown = content.summaries(articles, content.DETAIL_RENDITIONS)
    return [item(article, summary) for article, summary in zip(articles, shown, strict=True)]
