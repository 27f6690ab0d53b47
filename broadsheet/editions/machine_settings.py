"""BROADSHEET_MACHINE_TRANSLATION → wagtail-localize's WAGTAILLOCALIZE_MACHINE_TRANSLATOR.

Imported by settings/base.py, so it imports nothing from Django or the apps.
The classes named here are Broadsheet's wrappers (editions/machine.py): the
same engines as wagtail-localize's, but an engine that fails (down, slow,
wrong key) becomes a message to the editor instead of a server error.
"""

ENGINES = ("libretranslate", "deepl", "google")


def machine_translator_settings(
    *, engine: str, url: str, api_key: str, timeout: int, google_project: str = ""
) -> dict | None:
    """The WAGTAILLOCALIZE_MACHINE_TRANSLATOR dict, or None for no engine."""
    engine = engine.strip().lower()
    if not engine:
        return None
    if engine not in ENGINES:
        raise ValueError(
            f"BROADSHEET_MACHINE_TRANSLATION={engine!r}: use one of {', '.join(ENGINES)} or ''"
        )
    if engine == "libretranslate":
        if not url:
            raise ValueError("BROADSHEET_MACHINE_TRANSLATION_URL is required for libretranslate")
        return {
            "CLASS": "broadsheet.editions.machine.LibreTranslateEngine",
            "OPTIONS": {
                "LIBRETRANSLATE_URL": url.rstrip("/"),
                "API_KEY": api_key,
                "TIMEOUT": timeout,
            },
        }
    if engine == "deepl":
        if not api_key:
            raise ValueError("BROADSHEET_MACHINE_TRANSLATION_API_KEY is required for deepl")
        return {
            "CLASS": "broadsheet.editions.machine.DeepLEngine",
            "OPTIONS": {"AUTH_KEY": api_key, "TIMEOUT": timeout},
        }
    # Google Cloud Translation: the key is the service account's JSON file
    # (a path), as Google issues it; needs the google-cloud-translate package.
    if not api_key or not google_project:
        raise ValueError(
            "google needs BROADSHEET_MACHINE_TRANSLATION_API_KEY (path to the service "
            "account JSON) and BROADSHEET_MACHINE_TRANSLATION_GOOGLE_PROJECT"
        )
    return {
        "CLASS": "broadsheet.editions.machine.GoogleEngine",
        "OPTIONS": {"CREDENTIALS_PATH": api_key, "PROJECT_ID": google_project},
    }
