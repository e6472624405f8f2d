"""Product data: the words families and advisers really type, added to the needs' synonyms.

Tried as people write, the directory missed school dropout, the family court and child
support, benefits by their acronyms, food aid by its names, leisure words, "nounou",
"baby-sitting"… Each list is appended to a need's synonyms (a synonym already there, or
added by hand in the admin, is kept once). « Violences dans la famille » is marked as a
situation of danger: its pages show the emergency numbers first.

Then the derived search data is recomputed with the analysis of this release (stems
instead of crude singulars; a service's own words only, its needs being matched at query
time): services' search texts, their search documents' words and titles, and the
vocabulary that corrects typing mistakes. `manage.py rebuild_search`
does the same from the models at any time.
"""

import re

from django.db import migrations

ADDED = {
    "faire-garder-mon-enfant": [
        "garde",
        "faire garder",
        "garder mon enfant",
        "garde d'enfants",
        "baby-sitting",
        "baby-sitter",
        "babysitter",
        "assmat",
        "ass mat",
        "nourrice agréée",
        "garde à domicile",
        "garde partagée",
        "crèche parentale",
        "complément mode de garde",
        "CMG",
        "accueil du jeune enfant",
    ],
    "eveil-tout-petit": [
        "jouer avec mon bébé",
        "atelier d'éveil",
        "comptines",
        "histoires",
        "éveil musical",
        "sortir avec bébé",
    ],
    "suivi-sante-bebe": [
        "nourrisson",
        "vacciner",
        "vaccins du bébé",
        "poids du bébé",
        "carnet de santé",
        "biberon",
        "pleurs",
        "médecin pour bébé",
    ],
    "grossesse-naissance": [
        "attendre un bébé",
        "futurs parents",
        "suivi de grossesse",
        "préparation à la naissance",
        "échographie",
        "nouveau-né",
        "retour de maternité",
        "baby blues",
        "dépression post-partum",
    ],
    "accueil-avant-apres-ecole": [
        "accueil périscolaire",
        "garderie du matin",
        "garderie du soir",
        "cantine scolaire",
        "repas à l'école",
        "inscrire à l'école",
        "inscription à l'école",
        "école maternelle",
        "école primaire",
        "rentrée scolaire",
        "étude du soir",
        "tarif de la cantine",
    ],
    "centre-de-loisirs-vacances": [
        "centre aéré",
        "colo",
        "colonie de vacances",
        "centre de vacances",
        "mini-camp",
        "mercredis",
        "vacances d'été",
        "petites vacances",
        "occuper les enfants",
    ],
    "aide-aux-devoirs": [
        "aide scolaire",
        "cours particuliers",
        "accompagnement à la scolarité",
        "difficultés à l'école",
        "mauvaises notes",
        "redoublement",
        "lecture",
    ],
    "activites-sport-culture": [
        "foot",
        "football",
        "danse",
        "judo",
        "natation",
        "piscine",
        "théâtre",
        "dessin",
        "peinture",
        "multisports",
        "école de musique",
        "jeux",
        "sortie culturelle",
        "pass culture",
        "pass sport",
    ],
    "information-jeunesse": [
        "job étudiant",
        "stage",
        "stage de troisième",
        "orientation scolaire",
        "CIO",
        "bac",
        "bourse",
        "partir à l'étranger",
        "volontariat",
        "baby-sitting",
        "argent de poche",
    ],
    "espace-jeunes": [
        "ado",
        "jeunes",
        "activités ados",
        "sorties ados",
        "club ados",
        "se retrouver entre jeunes",
        "séjour jeunes",
    ],
    "sante-des-jeunes": [
        "harcèlement scolaire",
        "cyberharcèlement",
        "mal dans sa peau",
        "tristesse",
        "repli sur soi",
        "drogue",
        "tabac",
        "pilule",
        "planning familial",
        "scarification",
        "idées noires",
        "phobie scolaire",
        "ado qui ne va pas bien",
        "collège",
        "harcèlement au collège",
    ],
    "soutien-parentalite": [
        "conseils aux parents",
        "éducation",
        "autorité",
        "disputes avec mon enfant",
        "parent épuisé",
        "burn-out parental",
        "relation parent-enfant",
        "adolescence",
        "ado difficile",
    ],
    "conflit-familial-separation": [
        "se séparer",
        "séparés",
        "rupture",
        "parent seul",
        "parent solo",
        "famille monoparentale",
        "juge aux affaires familiales",
        "JAF",
        "tribunal",
        "avocat",
        "droit de garde",
        "garde des enfants",
        "résidence alternée",
        "pension",
        "pension non payée",
        "impayé de pension",
        "allocation de soutien familial",
        "ASF",
        "médiateur",
        "famille recomposée",
        "divorcer",
        "ex-conjoint",
    ],
    "violences-intrafamiliales": [
        "violence conjugale",
        "conjoint violent",
        "femme battue",
        "frapper",
        "coups",
        "menaces",
        "peur",
        "harcèlement",
        "maltraité",
        "inceste",
        "violences sexuelles",
        "viol",
        "ASE",
        "aide sociale à l'enfance",
        "protection de l'enfance",
        "information préoccupante",
        "porter plainte",
        "mise en sécurité",
        "il me tape",
        "il me bat",
        "ex-conjoint",
        "insultes",
        "humiliations",
        "rabaisser",
        "violences psychologiques",
    ],
    "demarches-caf": [
        "alloc",
        "allocs",
        "allocation",
        "dossier CAF",
        "compte CAF",
        "prime de naissance",
        "trop-perçu",
        "contrôle CAF",
        "prestations",
        "ALF",
        "ALS",
        "ARS",
        "CMG",
    ],
    "demarches-administratives": [
        "papier",
        "dossier",
        "démarches",
        "CNI",
        "préfecture",
        "naturalisation",
        "acte de naissance",
        "état civil",
        "déclaration d'impôts",
        "avis d'imposition",
        "courrier",
        "lettre",
        "remplir un dossier",
        "écrivain public",
    ],
    "handicap-enfant": [
        "enfant handicapé",
        "autiste",
        "TDAH",
        "hyperactif",
        "trouble du comportement",
        "dys",
        "orthophoniste",
        "psychomotricien",
        "retard de langage",
        "accompagnant",
        "ULIS",
        "IME",
    ],
    "handicap-adulte": [
        "handicapé",
        "adulte handicapé",
        "carte d'invalidité",
        "allocation adulte handicapé",
        "pension d'invalidité",
        "fauteuil roulant",
    ],
    "aidant-proche": [
        "s'occuper d'un proche",
        "parent malade",
        "parent âgé",
        "Alzheimer",
        "épuisé",
        "épuisement",
        "accueil de jour",
        "aide à domicile",
        "souffler",
    ],
    "emploi": [
        "boulot",
        "taf",
        "chercher du travail",
        "trouver du travail",
        "embauche",
        "petit job",
        "premier emploi",
        "premier boulot",
        "Pole emploi",
        "chômeur",
        "reprendre le travail",
        "retour à l'emploi",
        "insertion",
        "chantier d'insertion",
    ],
    "formation": [
        "reprendre mes études",
        "reprendre une formation",
        "se former",
        "apprenti",
        "contrat d'apprentissage",
        "bilan de compétences",
        "VAE",
        "GRETA",
        "AFPA",
    ],
    "accompagnement-16-25": [
        "décrochage scolaire",
        "décroché",
        "décrocheur",
        "déscolarisé",
        "arrêter l'école",
        "quitter l'école",
        "plus à l'école",
        "lycée",
        "sans formation",
        "jeune sans solution",
        "obligation de formation",
        "jeune majeur",
    ],
    "apprendre-le-francais": [
        "parler français",
        "apprendre à lire",
        "apprendre à écrire",
        "cours de langue",
        "français langue étrangère",
        "alpha",
        "ne sait pas lire",
        "analphabète",
    ],
    "se-soigner": [
        "soins",
        "docteur",
        "généraliste",
        "sécu",
        "assurance maladie",
        "CSS",
        "complémentaire santé",
        "AME",
        "dentiste",
        "lunettes",
        "frais médicaux",
        "consultation",
        "infirmière",
    ],
    "ecoute-sante-mentale": [
        "psy",
        "psychiatre",
        "mal-être",
        "stress",
        "angoisse",
        "idées noires",
        "tristesse",
        "besoin de parler",
        "parler à quelqu'un",
        "solitude",
        "isolement",
        "suicide",
        "idées suicidaires",
        "envie de mourir",
        "en finir",
    ],
    "acces-aux-droits": [
        "assistant social",
        "assistante sociale",
        "travailleuse sociale",
        "mes droits",
        "aide sociale",
        "domiciliation",
        "juridique",
        "litige",
        "accès au droit",
    ],
    "aide-financiere": [
        "argent",
        "pas d'argent",
        "payer",
        "du mal à payer",
        "payer la cantine",
        "payer les factures",
        "dettes",
        "découvert",
        "aide financière",
        "prêt",
        "microcrédit",
    ],
    "aide-alimentaire": [
        "nourriture",
        "courses",
        "colis",
        "bons alimentaires",
        "bon alimentaire",
        "Restos",
        "Resto du cœur",
        "Croix-Rouge",
        "distribution alimentaire",
        "rien à manger",
        "faim",
    ],
    "aide-numerique": [
        "informatique",
        "mail",
        "e-mail",
        "compte en ligne",
        "identifiant",
        "site internet",
        "appli",
        "application",
        "portable",
        "photocopie",
    ],
    "logement": [
        "appart",
        "loyer impayé",
        "propriétaire",
        "bailleur",
        "caution",
        "insalubre",
        "sans logement",
        "SDF",
        "hébergement",
        "foyer",
        "colocation",
        "se loger",
        "déménager",
        "DALO",
        "à la rue",
    ],
    "mobilite-permis": [
        "permis",
        "auto-école",
        "code",
        "pas de voiture",
        "se déplacer",
        "mobylette",
        "location de voiture",
        "minibus",
        "gare",
    ],
}
DANGER = ["violences-intrafamiliales"]


def add_words(apps, schema_editor):
    Need = apps.get_model("services_directory", "Need")
    for slug, words in ADDED.items():
        need = Need.objects.filter(slug=slug).first()
        if need is None:  # removed by an administrator: nothing to add to
            continue
        lines = [line.strip() for line in need.synonyms.splitlines() if line.strip()]
        seen = {line.lower() for line in lines}
        for word in words:
            if word.lower() not in seen:
                lines.append(word)
                seen.add(word.lower())
        need.synonyms = "\n".join(lines)
        need.save(update_fields=["synonyms"])
    Need.objects.filter(slug__in=DANGER).update(signals_danger=True)


def recompute_derived(apps, schema_editor):
    # The analysis of this release (a pure function), applied to the rows as they are.
    from services_directory.text import fold, normalize

    Service = apps.get_model("services_directory", "Service")
    ServiceSearch = apps.get_model("services_directory", "ServiceSearch")
    SearchTerm = apps.get_model("services_directory", "SearchTerm")
    Need = apps.get_model("services_directory", "Need")
    Sector = apps.get_model("services_directory", "Sector")
    Commune = apps.get_model("services_directory", "Commune")

    def need_words(need):
        synonyms = [line.strip() for line in need.synonyms.splitlines() if line.strip()]
        return " ".join([need.name, *synonyms])

    services = Service.objects.select_related("partner").prefetch_related(
        "sectors", "service_places__place__commune"
    )
    texts = []
    for service in services.iterator(chunk_size=500):
        parts = [service.name, service.partner.name, service.summary, service.audience]
        parts += [s.name for s in sorted(service.sectors.all(), key=lambda s: (s.position, s.name))]
        places = sorted(service.service_places.all(), key=lambda sp: sp.pk)
        parts += [sp.place.commune.name for sp in places]
        if service.itinerant:
            parts.append("itinerant bus permanence")
        if service.collective:
            parts.append("atelier collectif groupe")
        search_text = f" {normalize(' '.join(parts))} "
        Service.objects.filter(pk=service.pk).update(search_text=search_text)
        title = f" {normalize(f'{service.name} {service.partner.name}')} "
        ServiceSearch.objects.filter(pk=service.pk).update(words=search_text, title=title)
        if service.status == "published":
            texts += [service.name, service.partner.name]

    texts += [need_words(need) for need in Need.objects.select_related("sector")]
    texts += list(Sector.objects.values_list("name", flat=True))
    texts += list(Commune.objects.values_list("name", flat=True))
    found = {}
    for text in texts:
        for written in re.split(r"[^\w]+", text.lower()):
            folded = fold(written)
            if len(folded) > 1 and folded.isalpha() and " " not in folded:
                found.setdefault(folded, written)
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word[:60], label=label[:60]) for word, label in sorted(found.items())],
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("services_directory", "0012_search_engine")]

    operations = [
        migrations.RunPython(add_words, migrations.RunPython.noop),
        migrations.RunPython(recompute_derived, migrations.RunPython.noop),
    ]
