from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number: int) -> str:
    """The current query string with another page number (filters and words kept)."""
    params = context["request"].GET.copy()
    params["page"] = number
    return params.urlencode()
