from django.db import transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AtomicWritesMiddleware:
    """Run every write request (POST, PUT, PATCH, DELETE) in one transaction.

    Wagtail's publish view saves the form, a revision and the live page in
    separate steps; wrapped here, a failure at any step (a 5xx) rolls all of
    them back, so the live site stays as it was, and `on_commit` side effects
    (cache purges, later realtime pushes and emails) run only after success.
    Reads stay outside transactions: with SQLite's IMMEDIATE mode a
    transaction per GET would serialise every reader behind the writer lock.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response
