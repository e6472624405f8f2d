"""The interface's catalogues: every string translated in every configured language.

`makemessages` runs on a copy of the code, merging the committed catalogues with today's
strings, so a new `{% translate %}` without its translations fails here; then `msgfmt
--check` (what `compilemessages` runs) refuses format and plural-form errors. A fuzzy entry
(a guess by msgmerge) is not a translation.
"""

import shutil
import subprocess

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from services_directory.translations import other_languages

SOURCES = ["portal", "services_directory", "pathways", "orientations", "indicators", "templates"]
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "migrations")


def catalogue(language: str):
    return settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def merged(tmp_path_factory, monkeypatch_module):
    """Today's strings merged into a copy of the committed catalogues."""
    root = tmp_path_factory.mktemp("code")
    for name in [*SOURCES, "locale"]:
        shutil.copytree(settings.BASE_DIR / name, root / name, ignore=IGNORED)
    monkeypatch_module.chdir(root)
    call_command("makemessages", locale=other_languages(), no_obsolete=True, verbosity=0)
    return root


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("language", other_languages())
def test_each_configured_language_has_its_catalogue(language):
    assert catalogue(language).exists(), (
        f"No catalogue for {language}: manage.py makemessages -l {language}, then translate it"
    )


@pytest.mark.parametrize("language", other_languages())
def test_every_string_is_translated(merged, language):
    po = polib.pofile(str(merged / "locale" / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated: {untranslated[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", other_languages())
def test_the_catalogue_compiles_without_errors(language, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(catalogue(language))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_translations_load():
    """The compiled catalogues are there (`make messages`) and read."""
    with translation.override("en"):
        assert translation.gettext("(en français)") == "(in French)"
    with translation.override("ar"):
        assert translation.gettext("Langue du site") == "لغة الموقع"
