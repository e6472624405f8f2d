"""`manage.py load_translations`: files in the French sources' layout, checked before writing."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command

from services_directory.models import ContentTranslation, Notice
from services_directory.translations import shown
from tests.factories import make_need, make_sector, make_service
from tests.pathways.factories import make_pathway


@pytest.fixture
def files(tmp_path, settings):
    settings.DEMO_DATA_DIR = tmp_path / "demo"
    settings.VOCABULARY_DIR = tmp_path / "vocabulary"
    (tmp_path / "demo" / "translations").mkdir(parents=True)
    (tmp_path / "vocabulary").mkdir()

    def write(kind: str, language: str, text: str) -> None:
        folder = tmp_path / ("vocabulary" if kind == "vocabulary" else "demo/translations")
        (folder / f"{language}.toml").write_text(text, encoding="utf-8")

    return write


@pytest.fixture
def content(db):
    sector = make_sector(name="Petite Enfance (test)", slug="pe-test")
    need = make_need(name="Garde (test)", slug="garde-test", synonyms="crèche\nnounou")
    service = make_service(name="Crèche Les Lutins", slug="creche-les-lutins", summary="Garde.")
    notice = Notice.objects.create(
        service=service,
        kind=Notice.Kind.MESSAGE,
        text="Fermé pour travaux.",
        start=dt.date(2026, 11, 1),
        end=dt.date(2026, 12, 1),
    )
    pathway = make_pathway(slug="naissance", title="Une naissance", steps=2)
    return {
        "sector": sector,
        "need": need,
        "service": service,
        "notice": notice,
        "pathway": pathway,
    }


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
def test_it_loads_vocabulary_and_content_as_reviewed(files, content):
    files(
        "vocabulary",
        "en",
        '[sectors."pe-test"]\nname = "Early childhood"\n\n'
        '[needs."garde-test"]\nname = "Childcare"\nsynonyms = ["childcare", "nursery"]\n',
    )
    files(
        "content",
        "en",
        '[services."creche-les-lutins"]\nname = "Les Lutins nursery"\n\n'
        '[[services."creche-les-lutins".notices]]\ntext = "Closed for works."\n\n'
        '[pathways."naissance"]\ntitle = "A birth"\n\n'
        '[[pathways."naissance".steps]]\ntitle = "First step"\n\n'
        '[[pathways."naissance".steps]]\ntitle = "Second step"\n',
    )
    call_command("load_translations", reviewed=True, stdout=None)
    assert shown(content["service"], "name", "en").text == "Les Lutins nursery"
    assert shown(content["notice"], "text", "en").text == "Closed for works."
    assert shown(content["need"], "synonyms", "en").lines == ["childcare", "nursery"]
    steps = list(content["pathway"].steps.order_by("position"))
    assert [shown(step, "title", "en").text for step in steps] == ["First step", "Second step"]
    row = ContentTranslation.objects.of(content["pathway"]).get(master__field="title")
    assert row.state == ContentTranslation.State.REVIEWED
    assert row.reviewed_on == dt.date(2026, 11, 20)
    # Not translated: French stands in, marked.
    summary = shown(content["service"], "summary", "en")
    assert (summary.text, summary.language, summary.fallback) == ("Garde.", "fr", True)


def test_without_reviewed_they_wait_for_a_review(files, content):
    files("content", "tr", '[services."creche-les-lutins"]\nname = "Lutins kreşi"\n')
    call_command("load_translations", stdout=None)
    row = ContentTranslation.objects.get(language_code="tr")
    assert row.state == ContentTranslation.State.TO_REVIEW
    assert shown(content["service"], "name", "tr").fallback


def test_loading_twice_changes_nothing(files, content):
    files("content", "en", '[services."creche-les-lutins"]\nname = "Les Lutins nursery"\n')
    call_command("load_translations", reviewed=True, stdout=None)
    call_command("load_translations", reviewed=True, stdout=None)
    assert ContentTranslation.objects.count() == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ('[services."inconnu"]\nname = "X"\n', "aucun objet avec cet identifiant"),
        ('[services."creche-les-lutins"]\nnom = "X"\n', "champ inconnu « nom »"),
        ('[lieux."mairie"]\nname = "X"\n', "table inconnue [lieux]"),
        (
            '[[pathways."naissance".steps]]\ntitle = "1"\n[[pathways."naissance".steps]]\n'
            'title = "2"\n[[pathways."naissance".steps]]\ntitle = "3"\n',
            "3 « steps » traduits pour 2 en français",
        ),
        ('[services."creche-les-lutins"\nname = "X"\n', "TOML invalide"),
    ],
)
def test_an_unknown_key_stops_everything_with_a_clear_message(files, content, text, message):
    files("vocabulary", "en", '[needs."garde-test"]\nname = "Childcare"\n')
    files("content", "en", text)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("load_translations", reviewed=True, stdout=None)
    assert not ContentTranslation.objects.exists()


def test_a_language_the_territory_does_not_offer_is_refused(files, content):
    with pytest.raises(CommandError, match="Langue non configurée : de"):
        call_command("load_translations", language=["de"], stdout=None)


def test_a_need_s_words_in_other_languages_follow_its_translations(files, content):
    files("vocabulary", "en", '[needs."garde-test"]\nsynonyms = ["childcare", "nursery"]\n')
    call_command("load_translations", reviewed=True, stdout=None)
    content["need"].refresh_from_db()
    assert content["need"].other_word_list == ["childcare", "nursery"]
    ContentTranslation.objects.get(language_code="en").delete()
    content["need"].refresh_from_db()
    assert content["need"].other_words == ""
