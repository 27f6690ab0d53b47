"""pytest fixtures for the editions' newsroom tests."""

import subprocess
import sys

import pytest


@pytest.fixture(scope="session")
def libretranslate_url():
    """A LibreTranslate-compatible server process (libretranslate_standin.py)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "broadsheet.editions.testing.libretranslate_standin"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("listening on "), line
        yield f"http://127.0.0.1:{int(line.split()[-1])}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def machine_translation(settings, libretranslate_url):
    """Switch machine translation on (as BROADSHEET_MACHINE_TRANSLATION=
    libretranslate would); returns a setter for the API key (its failure modes)."""
    from broadsheet.editions.machine_settings import machine_translator_settings

    def use(api_key: str = "", timeout: int = 10):
        settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_settings(
            engine="libretranslate", url=libretranslate_url, api_key=api_key, timeout=timeout
        )

    use()
    return use
