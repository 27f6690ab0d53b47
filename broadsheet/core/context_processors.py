from urllib.parse import urlencode


def canonical(request):
    """The page's own address, absolute, keeping only the query that selects content."""
    kept = {k: request.GET[k] for k in ("before", "section") if k in request.GET}
    url = request.build_absolute_uri(request.path)
    return {"canonical_url": f"{url}?{urlencode(kept)}" if kept else url}
