"""Every word the site's JavaScript shows, in the page's language.

The scripts under static/js keep no display text of their own: they ask
`BS.t(key, vars)` or `BS.tn(key, n, vars)` (static/js/i18n.js), which read the
JSON that `{% js_i18n %}` puts into the page (templates/includes/js_i18n.html).
The strings are ordinary gettext messages here, so makemessages extracts them
and the catalogues carry them like any template string.

Placeholders are `{name}`, filled in by the browser (never markup: the scripts
put the result into textContent).

Plurals are sent as one text per CLDR plural category (zero, one, two, few,
many, other), the names the browser's `Intl.PluralRules` gives: each text is
gettext's plural form for a sample number of that category. The samples below
hold for every language the site speaks (en, ru, es, ar); a language whose
categories need other samples must add them (test_js_strings checks the
choice against Chromium's Intl.PluralRules for 0–130 in every language).
"""

from collections.abc import Callable
from functools import cache

from django.utils.translation import get_language, gettext_lazy, ngettext

_ = gettext_lazy

MESSAGES = {
    # broadsheet.js: the next story loading in place
    "story.loading": _("Loading the next story…"),
    "story.loaded": _("Next story: {title}"),
    "story.failed": _("The next story could not be loaded. Use the link to open it."),
    # newsfeed_live.js
    "feed.refresh": _("New stories — refresh"),
    "feed.failed": _("New stories could not be loaded. Reload the page to see them."),
    # subscribe.js: the subscribe dialog
    "subscribe.close": _("Close"),
    "subscribe.loading": _("Loading…"),
    "subscribe.failed": _("Something went wrong. Opening the subscribe page…"),
    # push.js: breaking-news alerts in this browser
    "push.on": _("Get breaking news alerts"),
    "push.off": _("Stop alerts"),
    "push.working": _("One moment…"),
    "push.subscribed": _(
        "Alerts are on: this browser will notify you when we publish breaking news."
    ),
    "push.unsubscribed": _("Alerts are off for this browser."),
    "push.denied": _(
        "Notifications from this site are blocked in your browser settings. "
        "Allow them there to get breaking news alerts."
    ),
    "push.dismissed": _("You did not allow notifications, so alerts are still off."),
    "push.unsupported": _("This browser cannot show breaking news alerts from websites."),
    "push.error": _("Something went wrong. Please try again later."),
    # chats.js: a refusal the server did not explain (a proxy's error page)
    "chat.failed": _("The message could not be sent (error {status}). Please try again."),
    # live_desk.js (admin)
    "live_desk.delete_post": _("Delete this post for every reader?"),
    "live_desk.delete_draft": _("Delete this draft?"),
}

# Each takes the count and returns gettext's form for it; the lambdas keep the
# literal ngettext calls where makemessages finds them.
PLURALS: dict[str, Callable[[int], str]] = {
    # broadsheet.js: "More" in a newsfeed brought items
    "feed.more": lambda n: ngettext(
        "{count} more story loaded.", "{count} more stories loaded.", n
    ),
    # newsfeed_live.js: the bar over a live newsfeed
    "feed.new": lambda n: ngettext("{count} new story", "{count} new stories", n),
    # live.js: the button over a live story's posts
    "live.new": lambda n: ngettext("{count} new update", "{count} new updates", n),
    # broadsheet.js: under a comment box; the form follows the limit
    "comment.length": lambda n: ngettext(
        "{count} of {max} character", "{count} of {max} characters", n
    ),
}

PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


@cache
def js_strings_for(language: str) -> dict:
    """The JSON-ready strings of one language (the caller activates it): the
    same for every page in that language, so built once per process."""
    return {
        "messages": {key: str(text) for key, text in MESSAGES.items()},
        "plurals": {
            key: {category: form(sample) for category, sample in PLURAL_SAMPLES.items()}
            for key, form in PLURALS.items()
        },
    }


def js_strings() -> dict:
    """The strings in the active language."""
    return js_strings_for(get_language() or "en")
