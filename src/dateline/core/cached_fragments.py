"""`{% fragment %}` and `{% page_fragment %}`: a part of a template kept in the fragment
cache (core/fragment_cache.py) under a key made of its name and the values it varies on.

They keep the rules of Wagtail's `{% wagtailcache %}` and `{% wagtailpagecache %}`: a
preview, or a render without a request, is never read from or written to the cache, and a
page fragment also varies on the page's state and the site. They differ in cost: an
uncached story shows fourteen fragments, and Wagtail's tags resolved the timeout, looked
up the cache, hashed the page's state and found the site again for each of them, a fifth
of the story's render. Here the timeout is read once when the template is compiled, the
page's state once per page object, a value named by a bare word straight from the
context, and the site is the one the request already holds.

Every key also carries a digest of the site's own code and templates: the shared cache
outlives a deploy, and a fragment rendered by the old templates must not be shown by the
new ones."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.core.cache import caches
from django.template import Context, Node, NodeList, TemplateSyntaxError
from django.template.base import FilterExpression, Parser, Token
from django.template.loader_tags import BlockNode

CACHE_ALIAS = "template_fragments"
SEPARATOR = "\x1f"


class FragmentNode(Node):
    def __init__(
        self,
        nodelist: NodeList,
        timeout: int,
        name: str,
        vary_on: list[str | FilterExpression],
        per_page: bool,
    ) -> None:
        self.nodelist = nodelist
        self.timeout = timeout
        self.name = name
        self.vary_on = vary_on
        self.per_page = per_page
        if not nodelist.get_nodes_by_type(BlockNode):
            # Rendering a template that extends another looks for the blocks of the parent
            # in its whole tree, every time: a fragment without blocks is left out of the
            # search, which then visits a few nodes instead of every node of every fragment.
            self.child_nodelists = ()

    def render(self, context: Context) -> str:
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        parts = [
            str(context.get(value)) if type(value) is str else str(value.resolve(context))
            for value in self.vary_on
        ]
        if self.per_page:
            parts.append(page_state(context.get("page")))
            site = getattr(request, "_wagtail_site", None)
            parts.append(str(site.pk) if site is not None else "")
        digest = hashlib.md5(SEPARATOR.join(parts).encode()).hexdigest()
        key = f"fragment.{code_version()}.{self.name}.{digest}"
        cache = request.__dict__.get("_fragment_cache")
        if cache is None:  # looked up once per request: each lookup goes through a Local
            cache = request._fragment_cache = caches[CACHE_ALIAS]
        value = cache.get(key)
        if value is None:
            value = self.nodelist.render(context)
            cache.set(key, value, self.timeout)
        return value


@functools.cache
def code_version() -> str:
    """A digest of the site's templates and Python code, worked out once per process (a
    hundredth of a second)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.md5()
    for path in sorted(package.rglob("*")):
        if path.suffix in {".html", ".py"} and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def page_state(page: object) -> str:
    """What changes whenever a page does (Wagtail's own `cache_key` components: its id, its
    path and when it was last published), worked out once per page object for as long as
    those stay the same."""
    if page is None:
        return ""
    components = (page.pk, page.url_path, page.last_published_at)
    remembered = page.__dict__.get("_fragment_state")
    if remembered is not None and remembered[0] == components:
        return remembered[1]
    state = repr(components)
    page.__dict__["_fragment_state"] = (components, state)
    return state


def parse(parser: Parser, token: Token, *, per_page: bool) -> FragmentNode:
    """`{% fragment TIMEOUT NAME [VALUE ...] %}…{% endfragment %}`, the timeout in
    seconds as a number and the name as a bare word."""
    tag, *arguments = token.split_contents()
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    if len(arguments) < 2:
        raise TemplateSyntaxError(f"'{tag}' needs a timeout and a name")
    timeout, name, *vary_on = arguments
    if not timeout.isdigit():
        raise TemplateSyntaxError(f"'{tag}' takes its timeout in seconds, not {timeout!r}")
    return FragmentNode(
        nodelist,
        int(timeout),
        name,
        [value if value.isidentifier() else parser.compile_filter(value) for value in vary_on],
        per_page,
    )
