import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pathways.models import LifeMoment, Pathway, PathwayStat, Step
from services_directory.models import Need, Referent, Sector
from services_directory.search import analyse
from tests.factories import make_sector
from tests.pathways.factories import make_pathway, make_step

pytestmark = pytest.mark.django_db


def test_it_seeds_the_life_moments_of_the_action_plan():
    slugs = list(LifeMoment.objects.values_list("slug", flat=True))
    assert len(slugs) == 10
    assert slugs[0] == "attendre-un-enfant"
    assert {"16-25-ans", "handicap-enfant", "demarches-numerique"} <= set(slugs)


def test_it_lists_only_published_pathways():
    published = make_pathway()
    make_pathway(status=Pathway.Status.DRAFT)
    assert list(Pathway.objects.published()) == [published]


def test_it_counts_as_formalised_only_published_and_validated_pathways():
    validated = make_pathway(validated_on=dt.date(2025, 3, 1), validated_by="la chargée")
    make_pathway()  # published, never validated
    make_pathway(
        status=Pathway.Status.DRAFT, validated_on=dt.date(2025, 3, 1), validated_by="la chargée"
    )
    make_pathway(validated_on=dt.date(2025, 3, 1), validated_by="")
    assert list(Pathway.objects.formalised()) == [validated]
    assert Pathway.objects.formalised().filter(pk=validated.pk).exists()


def test_it_tells_a_passerelle_from_a_single_sector_pathway():
    petite_enfance = Sector.objects.get(slug="petite-enfance")
    enfance = Sector.objects.get(slug="enfance")
    parentalite = Sector.objects.get(slug="parentalite")
    single = make_pathway(sectors=[petite_enfance])
    stages = make_pathway(sectors=[petite_enfance, enfance])
    mixed = make_pathway(sectors=[petite_enfance, parentalite])

    assert set(Pathway.objects.passerelles()) == {stages, mixed}
    assert list(Pathway.objects.child_stage_passerelles()) == [stages]
    assert stages.is_passerelle and not single.is_passerelle


def test_it_finds_pathways_by_the_words_families_use():
    garde = Need.objects.get(slug="faire-garder-mon-enfant")  # synonyms: crèche, nounou…
    wanted = make_pathway(title="Trouver un mode de garde", needs=[garde])
    make_pathway(title="Premier emploi")

    def found(words):
        return Pathway.objects.matching(analyse(words))

    assert found("Crèches") == [wanted]
    assert found("nounou") == [wanted]
    assert found("GARDE") == [wanted]
    assert found("je cherche une nounou pour ma fille") == [wanted]  # a sentence
    assert found("xylophone") == []


def test_it_finds_pathways_by_the_title_of_a_step():
    pathway = make_pathway(steps=0)
    make_step(pathway, title="Déposer le dossier à la MDPH")
    pathway.refresh_derived()
    assert Pathway.objects.matching(analyse("mdph")) == [pathway]


def test_it_refuses_to_publish_a_pathway_of_one_step():
    pathway = make_pathway(status=Pathway.Status.DRAFT, steps=1)
    with pytest.raises(ValidationError) as error:
        pathway.publish()
    assert "au moins 2 étapes" in " ".join(error.value.messages)
    pathway.refresh_from_db()
    assert pathway.status == Pathway.Status.DRAFT


def test_it_refuses_to_publish_a_step_that_does_not_say_who():
    pathway = make_pathway(status=Pathway.Status.DRAFT, steps=1)
    make_step(pathway, referent_theme=Referent.Theme.HANDICAP)
    Step.objects.filter(pathway=pathway, position=2).update(referent_theme="")
    with pytest.raises(ValidationError) as error:
        pathway.publish()
    assert error.value.messages == ["L'étape 2 doit dire à qui s'adresser."]


def test_it_publishes_a_complete_pathway():
    pathway = make_pathway(status=Pathway.Status.DRAFT, steps=2)
    pathway.publish()
    pathway.refresh_from_db()
    assert pathway.status == Pathway.Status.PUBLISHED


def test_a_step_without_any_who_is_invalid():
    step = Step(pathway=make_pathway(), title="Appeler", what="Appelez.")
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "Dites à qui s'adresser" in str(error.value)


def test_it_wants_both_the_date_and_the_person_who_validated():
    pathway = make_pathway(validated_on=dt.date(2025, 3, 1))
    with pytest.raises(ValidationError) as error:
        pathway.full_clean()
    assert "validated_by" in error.value.message_dict


def test_it_refuses_an_age_band_upside_down():
    pathway = make_pathway()
    pathway.age_min, pathway.age_max = 11, 3
    with pytest.raises(ValidationError) as error:
        pathway.full_clean()
    assert "L'âge maximum doit être supérieur ou égal à l'âge minimum." in str(error.value)


def test_it_counts_views_prints_and_handouts_per_day():
    pathway = make_pathway()
    day = dt.date(2025, 5, 6)
    PathwayStat.record(pathway, "views", day=day)
    PathwayStat.record(pathway, "views", day=day)
    PathwayStat.record(pathway.pk, "handouts", day=day)
    PathwayStat.record(pathway, "prints", day=day + dt.timedelta(days=1))

    first, second = PathwayStat.objects.order_by("day")
    assert (first.views, first.prints, first.handouts) == (2, 0, 1)
    assert (second.views, second.prints, second.handouts) == (0, 1, 0)


def test_it_counts_today_by_default():
    pathway = make_pathway()
    PathwayStat.record(pathway, "handouts")
    assert PathwayStat.objects.get().handouts == 1


def test_it_refuses_an_unknown_counter():
    with pytest.raises(ValueError):
        PathwayStat.record(make_pathway(), "likes")


def test_it_labels_the_age_band_in_french():
    assert make_pathway(age_min=0, age_max=3).age_label == "moins de 4 ans"
    assert make_pathway(age_min=16, age_max=25).age_label == "de 16 à 25 ans"
    assert make_pathway(age_min=18).age_label == "à partir de 18 ans"
    assert make_pathway().age_label == ""


def test_the_diagram_label_says_who_without_a_query(django_assert_num_queries):
    pathway = make_pathway(steps=0, sectors=[make_sector()])
    make_step(pathway, referent_theme=Referent.Theme.HANDICAP)
    step = Step.objects.select_related("service", "need").get(pathway=pathway)
    with django_assert_num_queries(0):
        assert step.who_label == "Référent handicap"
