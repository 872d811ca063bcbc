"""What a source says, read into one shape: RSS and Atom feeds, IPTC ninjs (1.x and 2.x)
and NewsML-G2 files, and web pages. Nothing here touches the database; every reader
raises FormatError with a message an editor can act on."""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape, unescape
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.dateparse import parse_datetime

from dateline.core.sanitise import sanitise_html

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class FormatError(Exception):
    """The content is not what its source is said to send."""


@dataclass
class WireItem:
    headline: str
    guid: str = ""
    url: str = ""
    summary: str = ""
    body_html: str = ""
    byline: str = ""
    published_at: datetime | None = None
    language: str = ""
    picture_url: str = ""
    picture_credit: str = ""
    picture_caption: str = ""


def plain(html: str) -> str:
    """Text of a fragment of HTML, one line."""
    text = re.sub(r"<[^>]+>", " ", html or "")
    return re.sub(r"\s+", " ", unescape(text)).strip()


def clean_body(html: str) -> str:
    """The body as the editor's own markup: no scripts, frames or styles, and text that
    came without paragraphs put in them."""
    html = (html or "").strip()
    if html and not re.search(r"<(p|h2|h3|ul|ol|blockquote)[\s>]", html, re.I):
        paragraphs = [part.strip() for part in re.split(r"(?:<br\s*/?>\s*){2,}|\n\s*\n", html)]
        html = "".join(f"<p>{part}</p>" for part in paragraphs if part)
    return sanitise_html(html).strip()


def text_body(text: str) -> str:
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text or "")]
    return "".join(f"<p>{escape(part)}</p>" for part in paragraphs if part)


def _refuse_entities(data: bytes) -> None:
    """Entity declarations are how an XML bomb (billion laughs) or a file read off the
    server gets in: a document with any is refused before a parser expands it."""
    try:
        SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise FormatError(f"refused: the XML declares entities ({type(error).__name__})") from None
    except SafeET.ParseError:
        # Malformed: a feed reader may still make sense of it; the caller decides.
        pass


def _parse_xml(data: bytes):
    _refuse_entities(data)
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise FormatError(f"refused: the XML declares a DTD ({type(error).__name__})") from None
    except SafeET.ParseError as error:
        raise FormatError(f"malformed XML: {error}") from None


def _language(code: str) -> str:
    return (code or "").strip().lower().replace("_", "-").split("-")[0]


# --- RSS and Atom ---------------------------------------------------------------------


def parse_feed(data: bytes) -> list[WireItem]:
    import feedparser

    _refuse_entities(data)
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no channel or feed element"
        raise FormatError(f"not a readable RSS or Atom feed: {reason}")
    language = _language(parsed.feed.get("language", ""))
    return [_feed_entry(entry, language) for entry in parsed.entries if entry.get("title")]


def _feed_entry(entry: Any, language: str) -> WireItem:
    content = entry.get("content") or []
    summary_html = entry.get("summary", "")
    body = content[0].get("value", "") if content else summary_html
    summary = plain(summary_html) if content else ""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    picture, credit = _feed_picture(entry)
    return WireItem(
        headline=plain(entry.get("title", "")),
        guid=entry.get("id", "") or entry.get("link", ""),
        url=entry.get("link", ""),
        summary=summary,
        body_html=clean_body(body),
        byline=entry.get("author", ""),
        published_at=published,
        language=_language(entry.get("language", "")) or language,
        picture_url=picture,
        picture_credit=credit,
        picture_caption=plain(entry.get("media_description", "")),
    )


def _feed_picture(entry: Any) -> tuple[str, str]:
    credits = entry.get("media_credit") or []
    credit = credits[0].get("content", "") if credits else ""
    for media in entry.get("media_content") or []:
        if media.get("medium") == "image" or media.get("type", "").startswith("image/"):
            return media.get("url", ""), credit
    for enclosure in entry.get("enclosures") or []:
        if enclosure.get("type", "").startswith("image/"):
            return enclosure.get("href", ""), credit
    thumbnails = entry.get("media_thumbnail") or []
    if thumbnails:
        return thumbnails[0].get("url", ""), credit
    return "", credit


# --- IPTC ninjs -------------------------------------------------------------------------


def parse_ninjs(data: bytes) -> list[WireItem]:
    """One ninjs item, a list of them, or an object with an "items" list; 1.x or 2.x."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise FormatError(f"malformed JSON: {error}") from None
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        document = document["items"]
    items = document if isinstance(document, list) else [document]
    result = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise FormatError(f"item {number} is not a ninjs object")
        if item.get("type", "text") != "text":
            continue
        result.append(_ninjs_item(item, number))
    return result


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _first_value(entries: Any, role: str = "") -> str:
    """ninjs 2.x keeps headlines, descriptions and bodies as lists of {role, value}."""
    if not isinstance(entries, list):
        return ""
    candidates = [entry for entry in entries if isinstance(entry, dict)]
    preferred = [entry for entry in candidates if role and entry.get("role") == role]
    for entry in preferred + candidates:
        if _text(entry.get("value")):
            return entry["value"].strip()
    return ""


def _ninjs_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        parsed = parse_datetime(value.strip() + "T00:00:00")
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _ninjs_item(item: dict, number: int) -> WireItem:
    headline = _first_value(item.get("headlines"), "main") or _text(item.get("headline"))
    if not headline:
        raise FormatError(f"item {number} has no headline")
    body = ""
    bodies = item.get("bodies")
    if isinstance(bodies, list):
        html = [b for b in bodies if isinstance(b, dict) and "html" in str(b.get("contenttype"))]
        body = _text(html[0].get("value")) if html else text_body(_first_value(bodies))
    body = body or _text(item.get("body_html")) or text_body(_text(item.get("body_text")))
    summary = (
        _first_value(item.get("descriptions"), "summary")
        or _text(item.get("description_text"))
        or plain(_text(item.get("description_html")))
    )
    by = item.get("by")
    if isinstance(by, list):  # 2.x may list people
        by = ", ".join(_text(p.get("name")) for p in by if isinstance(p, dict) and p.get("name"))
    picture = _ninjs_picture(item.get("associations"))
    return WireItem(
        headline=plain(headline),
        guid=_text(item.get("uri")),
        url=_ninjs_link(item),
        summary=plain(summary),
        body_html=clean_body(body),
        byline=_text(by),
        published_at=(
            _ninjs_time(item.get("firstcreated")) or _ninjs_time(item.get("versioncreated"))
        ),
        language=_language(_text(item.get("language"))),
        **picture,
    )


def _ninjs_link(item: dict) -> str:
    """The story's web address: a text/html rendition (2.x), or a link (1.x drafts)."""
    candidates = []
    for key in ("renditions", "links"):
        entries = item.get(key)
        if isinstance(entries, dict):
            entries = list(entries.values())
        if isinstance(entries, list):
            candidates += [entry for entry in entries if isinstance(entry, dict)]
    for entry in candidates:
        href = _text(entry.get("href"))
        if href.startswith(("http://", "https://")) and (
            "html" in str(entry.get("contenttype", "text/html"))
            and entry.get("rel") in (None, "canonical", "self", "alternate", "irel:canonical")
        ):
            return href
    return ""


def _ninjs_picture(associations: Any) -> dict[str, str]:
    if isinstance(associations, dict):  # 1.x: {name: item}
        associations = list(associations.values())
    if not isinstance(associations, list):
        return {}
    for associated in associations:
        if not isinstance(associated, dict) or associated.get("type") not in ("picture", "image"):
            continue
        href = _largest_rendition(associated.get("renditions")) or _text(associated.get("uri"))
        if not href.startswith(("http://", "https://")):
            continue
        return {
            "picture_url": href,
            "picture_credit": (
                _text(associated.get("copyrightnotice"))
                or _text(associated.get("creditline"))
                or _text(associated.get("by"))
            )[:255],
            "picture_caption": plain(
                _first_value(associated.get("descriptions"))
                or _text(associated.get("description_text"))
                or _first_value(associated.get("headlines"))
                or _text(associated.get("headline"))
            )[:300],
        }
    return {}


def _largest_rendition(renditions: Any) -> str:
    if isinstance(renditions, dict):  # 1.x: {name: rendition}
        renditions = list(renditions.values())
    if not isinstance(renditions, list):
        return ""
    usable = [r for r in renditions if isinstance(r, dict) and _text(r.get("href"))]
    usable.sort(key=lambda r: r.get("width") if isinstance(r.get("width"), int) else 0)
    return usable[-1]["href"].strip() if usable else ""


# --- IPTC NewsML-G2 -----------------------------------------------------------------------


def parse_newsml(data: bytes) -> list[WireItem]:
    """A newsItem, or a newsMessage whose itemSet holds text items and the pictures they
    link to (by residref)."""
    root = _parse_xml(data)
    if root.tag == f"{NAR}newsItem":
        items = [root]
    elif root.tag == f"{NAR}newsMessage":
        items = root.findall(f"{NAR}itemSet/{NAR}newsItem")
    else:
        raise FormatError(f"not a NewsML-G2 newsItem or newsMessage: <{root.tag}>")
    pictures = {item.get("guid"): item for item in items if _item_class(item).endswith(":picture")}
    return [
        _newsml_item(item, pictures)
        for item in items
        if _item_class(item).endswith(":text") or not _item_class(item)
    ]


def _item_class(item) -> str:
    found = item.find(f"{NAR}itemMeta/{NAR}itemClass")
    return (found.get("qcode") or "") if found is not None else ""


def _element_text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip() if element is not None else ""


def _newsml_item(item, pictures: dict) -> WireItem:
    meta = item.find(f"{NAR}contentMeta")
    headline = _element_text(meta.find(f"{NAR}headline")) if meta is not None else ""
    if not headline:
        raise FormatError(f"the newsItem {item.get('guid', '')!r} has no headline")
    summary = ""
    byline = ""
    language = item.get(XML_LANG, "")
    if meta is not None:
        for description in meta.findall(f"{NAR}description"):
            if description.get("role", "drol:summary") == "drol:summary":
                summary = _element_text(description)
                break
        creator = meta.find(f"{NAR}creator/{NAR}name")
        byline = _element_text(creator)
        tag = meta.find(f"{NAR}language")
        if tag is not None and tag.get("tag"):
            language = tag.get("tag")
    item_meta = item.find(f"{NAR}itemMeta")
    published = None
    url = ""
    picture: dict[str, str] = {}
    if item_meta is not None:
        for name in ("firstCreated", "versionCreated"):
            published = published or _ninjs_time(_element_text(item_meta.find(f"{NAR}{name}")))
        for link in item_meta.findall(f"{NAR}link"):
            if link.get("residref") in pictures:
                picture = _newsml_picture(pictures[link.get("residref")])
            elif (link.get("href") or "").startswith(("http://", "https://")):
                url = url or link.get("href")
    if meta is not None and not published:
        published = _ninjs_time(_element_text(meta.find(f"{NAR}contentCreated")))
    return WireItem(
        headline=headline,
        guid=item.get("guid", ""),
        url=url,
        summary=summary,
        body_html=clean_body(_newsml_body(item)),
        byline=byline,
        published_at=published,
        language=_language(language),
        **picture,
    )


def _newsml_body(item) -> str:
    inline = item.find(f"{NAR}contentSet/{NAR}inlineXML")
    if inline is not None:
        body = inline.find(f".//{XHTML}body")
        container = body if body is not None else inline
        parts = [SafeET.tostring(child, encoding="unicode") for child in container]
        # The XHTML namespace is written out on each element; the tags themselves are wanted.
        html = "".join(parts).replace("html:", "")
        return re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", html)
    data = item.find(f"{NAR}contentSet/{NAR}inlineData")
    return text_body(data.text or "") if data is not None else ""


def _newsml_picture(item) -> dict[str, str]:
    remote = item.findall(f"{NAR}contentSet/{NAR}remoteContent")
    remote.sort(key=lambda r: int(r.get("width") or 0) if (r.get("width") or "").isdigit() else 0)
    href = remote[-1].get("href", "") if remote else ""
    if not href.startswith(("http://", "https://")):
        return {}
    rights = item.find(f"{NAR}rightsInfo/{NAR}copyrightNotice")
    credit = _element_text(item.find(f"{NAR}contentMeta/{NAR}creditline")) or _element_text(rights)
    caption = _element_text(item.find(f"{NAR}contentMeta/{NAR}description")) or _element_text(
        item.find(f"{NAR}contentMeta/{NAR}headline")
    )
    return {"picture_url": href, "picture_credit": credit[:255], "picture_caption": caption[:300]}


# --- Web pages ----------------------------------------------------------------------------


def extract_page(html: bytes | str, url: str) -> WireItem:
    """The story on a web page, without the site's navigation, adverts and footer."""
    import trafilatura
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, Exception) as error:  # lxml raises its own types for empty input
        raise FormatError(f"not a readable web page: {error}") from None
    # Each pass prunes the tree it is given: each gets the page afresh.
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    body = trafilatura.extract(
        html, url=url, output_format="html", include_links=True, include_formatting=True
    )
    if document is None or not body or not getattr(document, "title", ""):
        raise FormatError("no story was found on the page")
    body = re.sub(r"<h1[^>]*>.*?</h1>", "", body, flags=re.S)
    published = _ninjs_time(getattr(document, "date", "") or "")
    return WireItem(
        headline=plain(document.title),
        url=url,
        guid=url,
        summary=plain(getattr(document, "description", "") or ""),
        body_html=clean_body(body),
        byline=getattr(document, "author", "") or "",
        published_at=published,
        language=_language(tree.get("lang", "")),
        picture_url=getattr(document, "image", "") or "",
    )
