"""`{% fragment %}` and `{% page_fragment %}` keep a part of a template for its timeout,
per value it varies on and, for a page fragment, per state of the page and site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from dateline.core import cached_fragments
from dateline.core.fragments import site_for

pytestmark = pytest.mark.django_db

COUNTED = Template(
    "{% load dateline %}{% fragment 60 counted colour %}{{ counter.next }}{% endfragment %}"
)
PER_PAGE = Template(
    "{% load dateline %}{% page_fragment 60 per_page %}{{ page.title }} {{ counter.next }}"
    "{% endpage_fragment %}"
)


class Counter:
    def __init__(self) -> None:
        self.renders = 0

    def next(self) -> int:
        self.renders += 1
        return self.renders


@pytest.fixture(autouse=True)
def empty_fragment_cache():
    caches["template_fragments"].clear()
    caches["default"].clear()


@pytest.fixture
def request_for_site(home):
    request = RequestFactory().get("/en/")
    request._wagtail_site = site_for(request)
    return request


def render(template: Template, **context) -> str:
    return template.render(Context(context))


def test_a_fragment_is_rendered_once_per_value_it_varies_on(request_for_site):
    counter = Counter()
    shown = [
        render(COUNTED, request=request_for_site, counter=counter, colour=colour)
        for colour in ("red", "red", "blue", "red", "blue")
    ]
    assert shown == ["1", "1", "2", "1", "2"]


def test_a_preview_and_a_render_without_a_request_are_never_kept(request_for_site):
    counter = Counter()
    request_for_site.is_preview = True
    assert render(COUNTED, request=request_for_site, counter=counter, colour="red") == "1"
    assert render(COUNTED, request=request_for_site, counter=counter, colour="red") == "2"
    assert render(COUNTED, counter=counter, colour="red") == "3"
    assert render(COUNTED, counter=counter, colour="red") == "4"
    request_for_site.is_preview = False
    assert render(COUNTED, request=request_for_site, counter=counter, colour="red") == "5"


def test_a_page_fragment_follows_the_page_it_shows(request_for_site, article, world):
    counter = Counter()
    first = render(PER_PAGE, request=request_for_site, page=article, counter=counter)
    assert render(PER_PAGE, request=request_for_site, page=article, counter=counter) == first
    assert render(PER_PAGE, request=request_for_site, page=world, counter=counter) == (
        f"{world.title} 2"
    )
    # Republished (a new time of publication) or moved (a new path): rendered again.
    article.last_published_at += timedelta(minutes=1)
    assert render(PER_PAGE, request=request_for_site, page=article, counter=counter) == (
        f"{article.title} 3"
    )
    article.url_path = article.url_path.replace(article.slug, "moved")
    assert render(PER_PAGE, request=request_for_site, page=article, counter=counter) == (
        f"{article.title} 4"
    )


@pytest.mark.parametrize(
    "tag, message",
    [
        ("{% fragment %}", "needs a timeout and a name"),
        ("{% fragment 60 %}", "needs a timeout and a name"),
        ("{% fragment soon nav %}", "timeout in seconds"),
        ("{% fragment -5 nav %}", "timeout in seconds"),
    ],
)
def test_a_malformed_fragment_tag_is_refused_when_the_template_is_read(tag, message):
    with pytest.raises(TemplateSyntaxError, match=message):
        Template("{% load dateline %}" + tag + "x{% endfragment %}")


def test_a_fragment_rendered_by_other_code_is_not_shown(request_for_site, monkeypatch):
    counter = Counter()
    assert render(COUNTED, request=request_for_site, counter=counter, colour="red") == "1"
    monkeypatch.setattr(cached_fragments, "code_version", lambda: "the-next-deploy")
    assert render(COUNTED, request=request_for_site, counter=counter, colour="red") == "2"
    assert render(COUNTED, request=request_for_site, counter=counter, colour="red") == "2"


def test_a_block_inside_a_fragment_of_a_parent_template_can_still_be_overridden(
    request_for_site,
):
    from django.template import Engine

    templates = {
        "parent.html": "{% load dateline %}<p>{% fragment 60 framed %}"
        "[{% block inner %}the parent's{% endblock %}]{% endfragment %}</p>"
        "{% fragment 60 plain %}no blocks here{% endfragment %}",
        "child.html": "{% extends 'parent.html' %}{% block inner %}the child's{% endblock %}",
    }
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", templates)],
        libraries={"dateline": "dateline.core.templatetags.dateline"},
    )
    shown = engine.get_template("child.html").render(Context({"request": request_for_site}))
    assert shown == "<p>[the child's]</p>no blocks here"
