"""Every kind of page a reader can land on is valid HTML by the W3C's Nu checker, in
every site language: home, section, story, search with results, tag, author and the
"not found" page. Invalid markup is what assistive technology and search engines
stumble on first, and a checker run keeps it from creeping back.

The pages come from the demo newsroom that the browser tests drive (no browser is needed
here); addresses are found by following links, never hard-coded. The checker (a Java
program) runs once over all the pages: starting it takes seconds, a page milliseconds."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    html: str

    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.html, "html.parser")

    def link(self, selector: str, pattern: str) -> str:
        """The first link under `selector` whose path matches `pattern`."""
        anchors = ", ".join(f"{part.strip()} a[href]" for part in selector.split(","))
        for anchor in self.soup().select(anchors):
            path = urlsplit(urljoin(self.url, anchor["href"])).path
            if re.fullmatch(pattern, path):
                return path
        raise AssertionError(f"no link to {pattern} under {selector} on {self.url}")


def fetch(base_url: str, path: str) -> Fetched:
    url = urljoin(base_url, path)
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return Fetched(url, response.status, response.read().decode())
    except urllib.error.HTTPError as error:  # a 404 page is a page readers see too
        return Fetched(url, error.code, error.read().decode())


def site_languages(base_url: str) -> list[str]:
    """The languages the site offers, as its own language switcher lists them."""
    home = fetch(base_url, "/en/")
    codes = [a["hreflang"] for a in home.soup().select("nav.languages a[hreflang]")]
    assert codes, "the home page lists no languages"
    return codes


def pages_in(base_url: str, lang: str) -> dict[str, Fetched]:
    home = fetch(base_url, f"/{lang}/")
    section = home.link("nav.section-nav", rf"/{lang}/[\w-]+/")
    story = home.link(".lead-title, .card-title", rf"/{lang}/[\w-]+/[\w-]+/")
    story_page = fetch(base_url, story)
    headline = story_page.soup().select_one("h1").get_text(strip=True)
    word = max(re.findall(r"\w+", headline), key=len)
    pages = {
        "home": home,
        "section": fetch(base_url, section),
        "story": story_page,
        "search": fetch(base_url, f"/{lang}/search/?q={quote_plus(word)}"),
        "tag": fetch(base_url, story_page.link("article", rf"/{lang}/tags/[^/]+/")),
        "author": fetch(base_url, story_page.link("article", rf"/{lang}/authors/[\w-]+/")),
        "not found": fetch(base_url, f"/{lang}/no-such-section/no-such-story/"),
    }
    pages["corrections"] = fetch(base_url, f"/{lang}/corrections/")
    corrected = pages["corrections"].link(".corrections-list", rf"/{lang}/[\w-]+/[\w-]+/")
    pages["corrected story"] = fetch(base_url, corrected)
    # The demo's live blogs, one covering and one ended, in every language.
    pages["live blog"] = fetch(base_url, f"/{lang}/region/sella-river-floods-live/")
    pages["ended live blog"] = fetch(
        base_url, f"/{lang}/politics/regional-budget-debate-as-it-happened/"
    )
    # The demo's story with a gallery and a fact box.
    pages["illustrated story"] = fetch(
        base_url, f"/{lang}/region/kestrin-water-main-replacement-night-outages/"
    )
    assert pages["search"].soup().select(".search-result"), f"no results for {word!r}"
    assert pages["not found"].status == 404
    others = {name: page.status for name, page in pages.items() if name != "not found"}
    assert set(others.values()) == {200}, others
    return pages


def nu_errors(checker: list[str], documents: dict[Path, str]) -> list[str]:
    """Every error the Nu checker finds in the files, as "url line N: message"."""
    result = subprocess.run(
        [*checker, "--errors-only", "--format", "json", "--exit-zero-always", *map(str, documents)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"the checker gave no report:\n{result.stderr[-4000:]}") from None
    # The checker names each file by a "file:" URL; the files' names are unique.
    by_name = {path.name: url for path, url in documents.items()}
    errors = []
    for message in report["messages"]:
        if message["type"] == "info":  # warnings, even with --errors-only on some versions
            continue
        file_url = message.get("url", "")
        url = by_name.get(Path(urlsplit(file_url).path).name, file_url)
        line = message.get("lastLine", message.get("firstLine", "?"))
        errors.append(f"{url} line {line}: {message['message']}")
    return errors


def test_every_page_type_in_every_language_is_valid_html(
    demo_newsroom, html_checker, tmp_path_factory
):
    base_url = demo_newsroom.base_url
    folder = tmp_path_factory.mktemp("html-validity")
    documents: dict[Path, str] = {}
    for lang in site_languages(base_url):
        for kind, page in pages_in(base_url, lang).items():
            path = folder / f"{lang}-{kind.replace(' ', '-')}.html"
            path.write_text(page.html, encoding="utf-8")
            documents[path] = page.url
    assert len(documents) >= 7 * 4

    errors = nu_errors(html_checker, documents)
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
