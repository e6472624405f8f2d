"""`load_demo`: the project reads the demo's data files and hands them to each app in order."""

import io
import shutil

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

import indicators.demo
import orientations.demo
import pathways.demo
import services_directory.demo
from services_directory.models import Service, Territory

pytestmark = pytest.mark.django_db


def test_it_feeds_each_app_its_own_file_in_order(monkeypatch):
    calls = []

    def recorder(name):
        return lambda data, stdout: calls.append((name, sorted(data)))

    monkeypatch.setattr(services_directory.demo, "load", recorder("directory"))
    monkeypatch.setattr(pathways.demo, "load", recorder("pathways"))
    monkeypatch.setattr(orientations.demo, "load", recorder("orientations"))
    monkeypatch.setattr(indicators.demo, "load", recorder("indicators"))
    # Then the translations of what the apps loaded (reviewed: a careful translator's).
    monkeypatch.setattr(
        "portal.management.commands.load_demo.call_command",
        lambda name, **options: calls.append((name, sorted(options))),
    )

    call_command("load_demo", stdout=io.StringIO())

    assert calls == [
        (
            "directory",
            ["communes", "partners", "places", "referents", "services", "territory"],
        ),
        ("pathways", ["pathways", "validated_by"]),
        ("orientations", ["accounts", "referrals", "unmet_needs"]),
        ("indicators", ["closed_survey", "open_survey", "quarterly_values", "yearly_values"]),
        ("load_translations", ["reviewed", "stdout"]),
    ]


@pytest.fixture
def demo_files(settings, tmp_path):
    """A copy of the demo's data files, read by the command instead of the real ones."""
    for name in ("directory", "pathways", "orientations", "indicators"):
        shutil.copy(django_settings.DEMO_DATA_DIR / f"{name}.toml", tmp_path)
    settings.DEMO_DATA_DIR = tmp_path
    return tmp_path


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_typo_in_a_later_file_leaves_nothing_of_the_demo_behind(demo_files):
    _edit(demo_files / "pathways.toml", "validated_days_ago = ", "validated_days = ")

    with pytest.raises(CommandError, match="clé inconnue « validated_days »"):
        call_command("load_demo", stdout=io.StringIO())

    assert not Territory.objects.exists()
    assert not Service.objects.exists()


def test_a_file_that_is_not_toml_is_refused_before_anything_is_written(demo_files):
    _edit(demo_files / "indicators.toml", "[open_survey]", "[open_survey")

    with pytest.raises(CommandError, match=r"indicators\.toml : TOML invalide"):
        call_command("load_demo", stdout=io.StringIO())

    assert not Territory.objects.exists()
