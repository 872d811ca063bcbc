"""A machine-translated first draft of a story, when the newsroom has a translation
service (a LibreTranslate-compatible API or DeepL; its address in settings, off by
default). The draft is marked as machine translated until a person saves it."""

from __future__ import annotations

import requests
from django.conf import settings
from wagtail.rich_text import RichText

from dateline.core.retries import GiveUp, RetryLater

from .models import ArticlePage, MachineTranslation
from .translation_desk import source_of

# Texts sent in one request.
BATCH = 50


class ServiceRefused(Exception):
    pass


def is_configured() -> bool:
    return bool(settings.DATELINE_MACHINE_TRANSLATION_URL)


def _language(code: str) -> str:
    return code.split("-")[0]


def translate_texts(texts: list[str], source: str, target: str) -> list[str]:
    """The texts (HTML fragments) in the target language, in order. Raises RetryLater for
    what may pass (429, 5xx, a timeout) and GiveUp for a refusal (400, 401, 403)."""
    base = settings.DATELINE_MACHINE_TRANSLATION_URL.rstrip("/")
    key = settings.DATELINE_MACHINE_TRANSLATION_KEY
    deepl = settings.DATELINE_MACHINE_TRANSLATION_KIND == "deepl"
    result: list[str] = []
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        if deepl:
            request = {
                "url": f"{base}/v2/translate",
                "json": {
                    "text": batch,
                    "source_lang": _language(source).upper(),
                    "target_lang": _language(target).upper(),
                    "tag_handling": "html",
                },
                "headers": {"Authorization": f"DeepL-Auth-Key {key}"} if key else {},
            }
        else:
            payload = {"q": batch, "source": _language(source), "target": _language(target)}
            payload["format"] = "html"
            if key:
                payload["api_key"] = key
            request = {"url": f"{base}/translate", "json": payload, "headers": {}}
        try:
            response = requests.post(
                timeout=settings.DATELINE_MACHINE_TRANSLATION_TIMEOUT, **request
            )
        except requests.RequestException as error:
            raise RetryLater(60, f"the translation service could not be reached: {error}") from None
        if response.status_code == 429 or response.status_code >= 500:
            wait = response.headers.get("Retry-After", "")
            raise RetryLater(
                float(wait) if wait.isdigit() else 60,
                f"the translation service answered {response.status_code}",
            )
        if response.status_code >= 400:
            raise GiveUp(
                f"the translation service refused: {response.status_code} {response.text[:200]}"
            )
        try:
            answer = response.json()
            if deepl:
                found = [item["text"] for item in answer["translations"]]
            else:
                found = answer["translatedText"]
                found = found if isinstance(found, list) else [found]
        except (ValueError, KeyError, TypeError):
            raise RetryLater(
                60, "the translation service sent an answer it could not read"
            ) from None
        if len(found) != len(batch) or not all(isinstance(text, str) for text in found):
            raise GiveUp("the translation service answered with a different number of texts")
        result.extend(found)
    return result


def _texts_of(source: ArticlePage) -> list[str]:
    texts = [source.title, source.standfirst, source.lead_image_caption]
    for block in source.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            texts.append(value.source)
        elif kind == "heading":
            texts.append(str(value))
        elif kind == "quote":
            texts.append(value.get("quote") or "")
        elif kind == "figure":
            texts.append(value.get("caption") or "")
        elif kind == "fact_box":
            texts.extend(
                [value.get("title") or "", value["facts"].source if value.get("facts") else ""]
            )
        elif kind == "gallery":
            texts.append(value.get("title") or "")
            texts.extend(picture.get("caption") or "" for picture in value.get("pictures") or [])
    return texts


def _apply(translation: ArticlePage, source: ArticlePage, texts: list[str]) -> None:
    found = iter(texts)
    translation.title = next(found)[:255]
    translation.standfirst = next(found)[:500]
    translation.lead_image_caption = next(found)[:300]
    body = []
    for block in source.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            body.append((kind, RichText(next(found))))
        elif kind == "heading":
            body.append((kind, next(found)[:120]))
        elif kind == "quote":
            body.append((kind, {**value, "quote": next(found)}))
        elif kind == "figure":
            body.append((kind, {**value, "caption": next(found)[:300]}))
        elif kind == "fact_box":
            body.append((kind, {"title": next(found)[:120], "facts": RichText(next(found))}))
        elif kind == "gallery":
            title = next(found)[:120]
            pictures = [{**picture, "caption": next(found)[:300]} for picture in value["pictures"]]
            body.append((kind, {"title": title, "pictures": pictures}))
        else:
            body.append((kind, value))
    translation.body = body


def translate_draft(translation: ArticlePage) -> bool:
    """Fill a new translation's draft with the service's translation of its source; False
    when there is nothing to do (no service, no source, published, or a person has saved
    it since it was made)."""
    if not is_configured():
        return False
    if translation.live or translation.revisions.count() > 1:
        return False
    translation = translation.get_latest_revision_as_object()
    source = source_of(translation)
    if source is None:
        return False
    texts = _texts_of(source)
    translated = translate_texts(
        texts, source.locale.language_code, translation.locale.language_code
    )
    _apply(translation, source, translated)
    revision = translation.save_revision(log_action=True)
    MachineTranslation.objects.update_or_create(page=translation, defaults={"revision": revision})
    return True


def is_machine_translated(page: ArticlePage) -> bool:
    """Marked until a person saves the draft: the mark names the revision the service
    wrote, and any later save makes another one the latest."""
    return MachineTranslation.objects.filter(
        page_id=page.pk, revision_id=page.latest_revision_id
    ).exists()
