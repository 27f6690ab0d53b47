from urllib.parse import urlencode

from .origin import absolute_url


def canonical(request):
    """The page's own address on the public origin, keeping only the query that selects content."""
    kept = {k: request.GET[k] for k in ("before", "section") if k in request.GET}
    url = absolute_url(request.path)
    return {"canonical_url": f"{url}?{urlencode(kept)}" if kept else url}
