"""Machine translation engines: wagtail-localize's own, wrapped so that an
engine that is down, slow or refuses the key raises `MachineTranslationError`
with a sentence an editor can act on (the views turn it into a message and
keep every segment as it was), plus `texts_translate` for what is not a page
(photo captions).

Which engine: settings BROADSHEET_MACHINE_TRANSLATION (machine_settings.py,
docs/configuration.md).
"""

import requests
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import Locale
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.machine_translators.deepl import DeepLTranslator
from wagtail_localize.machine_translators.libretranslate import LibreTranslator
from wagtail_localize.strings import StringValue

NOT_CONFIGURED = gettext_noop(
    "Machine translation is not configured (BROADSHEET_MACHINE_TRANSLATION)."
)


class MachineTranslationError(Exception):
    """The engine did not translate; the message says why, for the editor."""


def _engine_error(name: str, error: Exception) -> MachineTranslationError:
    if isinstance(error, requests.Timeout):
        reason = _("it did not answer in time")
    elif isinstance(error, requests.ConnectionError):
        reason = _("it could not be reached")
    elif isinstance(error, requests.HTTPError) and error.response is not None:
        status = error.response.status_code
        if status in (401, 403):
            reason = _("it refused the API key (HTTP %(status)s)") % {"status": status}
        elif status == 429:
            reason = _("it is rate-limiting us (HTTP 429)")
        else:
            reason = _("it answered with an error (HTTP %(status)s)") % {"status": status}
    else:
        reason = _("its answer could not be read")
    return MachineTranslationError(
        _("%(engine)s did not translate: %(reason)s. Nothing was changed; try again later.")
        % {"engine": name, "reason": reason}
    )


class _Guarded:
    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        try:
            return super().translate(source_locale, target_locale, strings)
        except (requests.RequestException, ValueError, KeyError, TypeError) as error:
            # ValueError: bad JSON or a list of the wrong length (zip strict).
            raise _engine_error(self.display_name, error) from error


class LibreTranslateEngine(_Guarded, LibreTranslator):
    pass


class DeepLEngine(_Guarded, DeepLTranslator):
    pass


def _google_class():
    # google-cloud-translate is optional: imported only when chosen.
    from wagtail_localize.machine_translators.google import GoogleCloudTranslator

    class GoogleEngine(_Guarded, GoogleCloudTranslator):
        pass

    return GoogleEngine


def __getattr__(name):
    if name == "GoogleEngine":
        return _google_class()
    raise AttributeError(name)


def machine_translator_status() -> tuple[bool, str]:
    """(configured, what the editor is told when not)."""
    if get_machine_translator() is None:
        return False, _(NOT_CONFIGURED)
    return True, ""


def texts_translate(*, texts: list[str], source: str, target: str) -> dict[str, str]:
    """Plain texts through the configured engine: {text: translation}.
    Raises MachineTranslationError (also when none is configured)."""
    translator = get_machine_translator()
    if translator is None:
        raise MachineTranslationError(_(NOT_CONFIGURED))
    wanted = [t for t in dict.fromkeys(texts) if t.strip()]
    if not wanted:
        return {}
    source_locale, target_locale = Locale(language_code=source), Locale(language_code=target)
    if not translator.can_translate(source_locale, target_locale):
        raise MachineTranslationError(
            _("%(engine)s cannot translate from %(source)s to %(target)s.")
            % {"engine": translator.display_name, "source": source, "target": target}
        )
    values = [StringValue.from_plaintext(t) for t in wanted]
    found = translator.translate(source_locale, target_locale, values)
    return {
        text: found[value].render_text()
        for text, value in zip(wanted, values, strict=True)
        if value in found
    }
