from wagtail import hooks

from broadsheet.core.surrogate import surrogate_keys_add

from .edge_keys import page_response_keys


@hooks.register("before_serve_page")
def page_names_itself(page, request, serve_args, serve_kwargs):
    """Every served page names itself (and its listing) for the edge, even
    when it answers 404 because its embargo has not passed: the lift purges it.
    https://docs.wagtail.org/en/stable/reference/hooks.html#before-serve-page"""
    surrogate_keys_add(*page_response_keys(page))
