"""Related stories at the end of a story: the editor's choice first, then stories of the same
language that share its tags, then stories the search index finds on its headline's words.
Never the story itself; rendered once and kept with the page's cached copy."""

from __future__ import annotations

from collections import Counter

from dateline.news.models import ArticlePage, published_articles, with_card_pictures

from .services import search
from .stemmers import WORD

RELATED_COUNT = 3
# Headline words that say what a story is about, rather than "the" or "after".
SUBJECT_WORD_LENGTH = 5
SUBJECT_WORDS = 4


def related_stories(article: ArticlePage, count: int = RELATED_COUNT) -> list[ArticlePage]:
    stories = article.chosen_related()[:count]
    if len(stories) < count:
        stories += article.related_by_tags(count - len(stories), [s.pk for s in stories])
    if len(stories) < count:
        stories += on_the_same_subject(article, count - len(stories), [s.pk for s in stories])
    return stories


def subject_words(headline: str) -> list[str]:
    """The headline's longest distinct words, longest first."""
    words = {word.lower() for word in WORD.findall(headline) if len(word) >= SUBJECT_WORD_LENGTH}
    return sorted(words, key=lambda word: (-len(word), word))[:SUBJECT_WORDS]


def on_the_same_subject(article: ArticlePage, count: int, exclude: list[int]) -> list[ArticlePage]:
    """Stories that the search index finds for the most of the headline's subject words,
    the better ranked first among equals."""
    language = article.locale.language_code
    score: Counter[int] = Counter()
    rank: dict[int, int] = {}
    for word in subject_words(article.title):
        results = search(word, language)
        for position, page_id in enumerate(results.ids(0, 20)):
            score[page_id] += 1
            rank[page_id] = min(rank.get(page_id, position), position)
    for unwanted in [article.pk, *exclude]:
        score.pop(unwanted, None)
    best = sorted(score, key=lambda page_id: (-score[page_id], rank[page_id]))[:count]
    found = {
        story.pk: story
        for story in with_card_pictures(published_articles(article.locale).filter(pk__in=best))
    }
    return [found[page_id] for page_id in best if page_id in found]
