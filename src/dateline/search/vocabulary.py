"""The words of each language's stories, and the nearest of them to a word that found
nothing: the spelling suggestions a search with no results offers."""

from __future__ import annotations

from collections.abc import Iterable

from .models import MAX_WORD_LENGTH, SearchWord
from .stemmers import stemmer_for, words

MIN_WORD_LENGTH = 3
# Candidates read for one misspelled word, at most: a bound on the work a query costs.
MAX_CANDIDATES = 20_000


def vocabulary_of(texts: Iterable[str], language: str) -> set[str]:
    """The distinct words of `texts` worth suggesting: lower-cased, not stemmed, not
    numbers, and of a plausible length."""
    lower = stemmer_for(language, stemming=False)
    found = set()
    for text in texts:
        for word in words(text):
            word = lower(word)
            if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH and not word.isdigit():
                found.add(word)
    return found


def add_words(found: set[str], language: str) -> None:
    SearchWord.objects.bulk_create(
        [
            SearchWord(language=language, word=word, initial=word[0], length=len(word))
            for word in found
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def is_known(word: str, language: str) -> bool:
    lower = stemmer_for(language, stemming=False)
    return SearchWord.objects.filter(language=language, word=lower(word)).exists()


def nearest_words(word: str, language: str, limit: int = 3) -> list[str]:
    """Words of the language within one edit (two for longer words) of `word`, nearest
    first: a letter added, dropped, changed, or two neighbours swapped."""
    word = stemmer_for(language, stemming=False)(word)
    if len(word) < MIN_WORD_LENGTH or len(word) > MAX_WORD_LENGTH or word.isdigit():
        return []
    reach = 1 if len(word) <= 5 else 2
    candidates = SearchWord.objects.filter(
        language=language,
        initial=word[0],
        length__gte=len(word) - reach,
        length__lte=len(word) + reach,
    ).values_list("word", flat=True)[:MAX_CANDIDATES]
    scored = []
    for candidate in candidates.iterator(chunk_size=2000):
        if candidate == word:
            continue
        distance = edit_distance(word, candidate, reach)
        if distance <= reach:
            scored.append((distance, candidate))
    return [candidate for _distance, candidate in sorted(scored)[:limit]]


def edit_distance(first: str, second: str, bound: int) -> int:
    """Optimal string alignment distance (Levenshtein with swaps of neighbours), or
    bound + 1 as soon as it must exceed `bound`."""
    if abs(len(first) - len(second)) > bound:
        return bound + 1
    before: list[int] | None = None
    previous = list(range(len(second) + 1))
    for i, left in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, right in enumerate(second, 1):
            cost = left != right
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                before is not None
                and i > 1
                and j > 1
                and left == second[j - 2]
                and first[i - 2] == right
            ):
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > bound:
            return bound + 1
        before, previous = previous, current
    return previous[-1]
