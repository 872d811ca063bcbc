"""Words to index terms, per language.

English, Russian and Armenian use the Snowball stemmers (PyStemmer, the same algorithms
PostgreSQL's `english`, `russian` and `armenian` configurations run). Azerbaijani has no
Snowball stemmer: `AzerbaijaniStemmer` strips the common inflectional suffixes of an
agglutinative language from the end of the word, longest first, keeping a stem of at
least three letters. See docs/search.md for the approach and its measured recall.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import Stemmer

# Letters and digits, not underscores: the same notion of a word as FTS5's unicode61.
WORD = re.compile(r"[^\W_]+")

SNOWBALL = {"en": "english", "ru": "russian", "hy": "armenian"}

# Azerbaijani inflectional suffixes (plural, case, possession, copula, instrumental),
# written for both vowel-harmony variants. Stripped repeatedly, longest first.
AZ_SUFFIXES = sorted(
    {
        # plural
        "lar",
        "lər",
        # copula / predicative
        "dır",
        "dir",
        "dur",
        "dür",
        "tır",
        "tir",
        "tur",
        "tür",
        # ablative, locative
        "dan",
        "dən",
        "tan",
        "tən",
        "da",
        "də",
        "ta",
        "tə",
        # genitive
        "nın",
        "nin",
        "nun",
        "nün",
        "ın",
        "in",
        "un",
        "ün",
        # accusative
        "nı",
        "ni",
        "nu",
        "nü",
        # dative
        "ya",
        "yə",
        # instrumental
        "la",
        "lə",
        "yla",
        "ylə",
        # possessive
        "ımız",
        "imiz",
        "umuz",
        "ümüz",
        "mız",
        "miz",
        "muz",
        "müz",
        "ınız",
        "iniz",
        "unuz",
        "ünüz",
        "nız",
        "niz",
        "nuz",
        "nüz",
        "ları",
        "ləri",
        "sı",
        "si",
        "su",
        "sü",
        "ım",
        "im",
        "um",
        "üm",
        # single vowels: accusative, dative, 3rd person possessive
        "ı",
        "i",
        "u",
        "ü",
        "a",
        "ə",
    },
    key=len,
    reverse=True,
)
AZ_MIN_STEM = 3
AZ_VOWELS = set("aıoueəiöü")
BUFFER = set("nysm")


def az_lower(text: str) -> str:
    """Azerbaijani lower case: dotted İ → i and dotless I → ı."""
    return text.replace("İ", "i").replace("I", "ı").lower()


# Remembered like the Snowball stemmers' own cache: indexing a story stems every word of
# it, and most words come again and again. 10,000 words take about 2 MB.
@lru_cache(maxsize=10_000)
def stem_azerbaijani(word: str) -> str:
    word = az_lower(word)
    changed = True
    while changed:
        changed = False
        for suffix in AZ_SUFFIXES:
            if not word.endswith(suffix):
                continue
            stem = word[: -len(suffix)]
            # n-, y-, s-, m- are buffer consonants: they join a suffix to a vowel.
            if suffix[0] in BUFFER and len(suffix) > 1 and stem[-1:] not in AZ_VOWELS:
                continue
            # A stem keeps at least three letters and one vowel, so short roots survive.
            if len(stem) >= AZ_MIN_STEM and AZ_VOWELS.intersection(stem):
                word = stem
                changed = True
                break
    return word


def _lower(language: str) -> Callable[[str], str]:
    return az_lower if language == "az" else str.lower


@lru_cache(maxsize=16)
def stemmer_for(language: str, stemming: bool = True) -> Callable[[str], str]:
    """A function from one word to its index term in `language` (lower-cased and, with
    `stemming`, stemmed). Unknown languages are only lower-cased."""
    lower = _lower(language)
    if not stemming:
        return lower
    if language == "az":
        return stem_azerbaijani
    algorithm = SNOWBALL.get(language)
    if algorithm is None:
        return lower
    snowball = Stemmer.Stemmer(algorithm)
    snowball.maxCacheSize = 50_000
    return lambda word: snowball.stemWord(lower(word))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def terms(text: str, language: str, stemming: bool = True) -> list[str]:
    stem = stemmer_for(language, stemming)
    return [stem(word) for word in WORD.findall(text)]


def stemmed_text(text: str, language: str) -> str:
    """The text as space-separated index terms, word positions kept."""
    return " ".join(terms(text, language))
