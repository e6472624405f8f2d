"""Demo parcours types for the Communauté de communes Yonne Nord.

Loaded by `manage.py load_demo` after the directory. Services are referred to by the
slugs of `services_directory/demo/data.py`; when one is missing the step keeps its
other "who" (a need, a kind of structure, a référent theme) and a warning is printed.
Idempotent: pathways are found by slug and their steps rewritten.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from services_directory.models import Need, Sector, Service

from .models import LifeMoment, Pathway, Step

VALIDATOR = "la chargée de mission action sociale territoriale"

# Each pathway: fields of Pathway, then `moments`, `sectors`, `needs` (slugs),
# `validated` (days ago, or None for a draft under review) and `steps`.
# Step keys map onto Step fields; `service` and `need` are slugs.
PATHWAYS = [
    {
        "slug": "trouver-une-garde-avant-la-naissance",
        "title": "Trouver un mode de garde avant la naissance",
        "summary": (
            "Vous attendez un bébé et vous reprendrez le travail : pensez à la garde "
            "dès la grossesse."
        ),
        "situation": (
            "Les places en crèche sont attribuées en commission trois fois par an et les "
            "assistantes maternelles ont souvent leurs places prises plusieurs mois à "
            "l'avance. Plus vous commencez tôt, plus vous aurez le choix."
        ),
        "audience": "Futurs parents et parents d'un bébé",
        "for_future_parents": True,
        "for_parents": True,
        "age_max": 3,
        "moments": ["attendre-un-enfant", "faire-garder-son-enfant"],
        "sectors": ["petite-enfance"],
        "needs": ["faire-garder-mon-enfant", "grossesse-naissance"],
        "validated": 120,
        "steps": [
            {
                "title": "Déclarer la grossesse et se faire suivre",
                "what": (
                    "Faites déclarer votre grossesse par votre médecin ou votre sage-femme. "
                    "La sage-femme de PMI peut vous suivre gratuitement près de chez vous."
                ),
                "what_falc": (
                    "Vous attendez un bébé.\nAllez voir un médecin ou une sage-femme.\n"
                    "Il envoie un papier à la CAF et à l'Assurance maladie.\nC'est gratuit."
                ),
                "service": "pmi-sage-femme",
                "need": "grossesse-naissance",
                "when": "Avant la fin du 3e mois de grossesse",
                "documents": "Carte Vitale\nCarte d'identité",
                "expected": (
                    "La CAF et l'Assurance maladie reçoivent la déclaration : vos droits "
                    "s'ouvrent (examens remboursés, prime de naissance)."
                ),
                "fallback": (
                    "Pas de rendez-vous rapide ? La maison de santé reçoit sans rendez-vous "
                    "le samedi matin, et la PMI répond au téléphone."
                ),
                "delay": "Rendez-vous sous 2 semaines",
            },
            {
                "title": "Rencontrer le Relais Petite Enfance",
                "what": (
                    "Le Relais Petite Enfance présente tous les modes de garde : crèches, "
                    "assistantes maternelles, halte-garderie itinérante. Il calcule avec "
                    "vous ce qui vous restera à payer après les aides."
                ),
                "what_falc": (
                    "Le Relais Petite Enfance vous explique\ncomment faire garder votre bébé.\n"
                    "Il vous aide à choisir.\nC'est gratuit."
                ),
                "service": "relais-petite-enfance",
                "when": "Dès le 4e mois de grossesse",
                "documents": "Dernier avis d'imposition ou numéro d'allocataire CAF",
                "expected": "Vous repartez avec la liste des places possibles et leur coût.",
                "fallback": (
                    "Si le Relais ne répond pas, appelez le service Petite Enfance de la "
                    "communauté de communes au 03 53 73 10 20."
                ),
            },
            {
                "title": "Demander une place en crèche ou chez une assistante maternelle",
                "what": (
                    "Remplissez la demande de place en crèche au Relais Petite Enfance et "
                    "appelez en même temps plusieurs assistantes maternelles de la liste."
                ),
                "need": "faire-garder-mon-enfant",
                "when": "Avant le 6e mois de grossesse",
                "documents": (
                    "Justificatif de domicile de moins de 3 mois\nAttestation de grossesse"
                ),
                "expected": "La commission d'attribution vous répond par courrier.",
                "fallback": (
                    "Pas de place à la date voulue : la halte-garderie itinérante accueille "
                    "quelques demi-journées par semaine, et le Relais vous aide à trouver "
                    "une assistante maternelle en attendant."
                ),
                "delay": "Commissions en mars, juin et octobre",
            },
            {
                "title": "Demander les aides de la CAF pour la garde",
                "what": (
                    "Après la naissance, déclarez votre bébé à la CAF. Si vous employez une "
                    "assistante maternelle, demandez le complément de libre choix du mode "
                    "de garde : France Services vous aide à le faire en ligne."
                ),
                "partner_kind": "france_services",
                "need": "demarches-caf",
                "when": "Dans le mois qui suit la naissance",
                "documents": "Numéro d'allocataire CAF\nActe de naissance\nRIB",
                "fallback": (
                    "Si la démarche en ligne bloque, demandez un rendez-vous avec un "
                    "conseiller de la CAF à France Services."
                ),
                "delay": "Réponse de la CAF sous 1 mois",
            },
        ],
    },
    {
        "slug": "premiers-mois-avec-bebe",
        "title": "Les premiers mois avec bébé : santé et soutien",
        "summary": (
            "Vous rentrez de la maternité : qui peut vous aider et répondre à vos questions."
        ),
        "audience": "Parents d'un bébé de moins d'un an",
        "for_future_parents": True,
        "for_parents": True,
        "age_max": 1,
        "moments": ["attendre-un-enfant"],
        "sectors": ["petite-enfance", "parentalite"],
        "needs": ["suivi-sante-bebe", "grossesse-naissance", "eveil-tout-petit"],
        "validated": 95,
        "steps": [
            {
                "title": "Recevoir la puéricultrice à la maison",
                "what": (
                    "Une puéricultrice de la PMI peut venir chez vous : allaitement, "
                    "sommeil, pleurs, tout ce qui vous inquiète."
                ),
                "what_falc": (
                    "Une infirmière pour les bébés vient chez vous.\n"
                    "Elle répond à vos questions.\nC'est gratuit."
                ),
                "service": "pmi-puericultrice-domicile",
                "need": "suivi-sante-bebe",
                "when": "Dans les 15 jours après la sortie de la maternité",
                "fallback": "Appelez la PMI : une consultation est possible au centre.",
            },
            {
                "title": "Suivre la santé de bébé à la PMI",
                "what": (
                    "Les consultations de PMI sont gratuites : pesée, examens, vaccins. "
                    "Un médecin et une puéricultrice vous reçoivent."
                ),
                "need": "suivi-sante-bebe",
                "when": "Chaque mois jusqu'à 6 mois, puis à 9 et 12 mois",
                "documents": "Carnet de santé de l'enfant",
                "fallback": "Votre médecin traitant ou la maison de santé font aussi ce suivi.",
            },
            {
                "title": "Sortir et rencontrer d'autres parents",
                "what": (
                    "Au lieu d'accueil enfants-parents, vous venez quand vous voulez avec "
                    "votre bébé, sans inscription, pour jouer et parler."
                ),
                "service": "laep-la-cabane",
                "need": "eveil-tout-petit",
                "when": "Dès les premières semaines",
                "fallback": "Les séances Bébés lecteurs de la médiathèque sont aussi ouvertes.",
            },
            {
                "title": "Parler de la fatigue ou du moral",
                "what": (
                    "Être épuisé ou triste après une naissance arrive souvent. Une "
                    "professionnelle vous écoute au téléphone, le soir aussi."
                ),
                "service": "ecoute-parents",
                "referent_theme": "parentalite",
                "when": "Dès que ça ne va pas",
                "fallback": "En cas d'urgence, appelez le 15.",
            },
        ],
    },
    {
        "slug": "de-la-creche-a-l-ecole",
        "title": "De la crèche à l'école maternelle, à 3 ans",
        "summary": (
            "Votre enfant aura 3 ans cette année : inscrire à l'école, au périscolaire et au "
            "centre de loisirs."
        ),
        "situation": (
            "La rentrée à l'école se prépare dès l'hiver. La crèche ou l'assistante "
            "maternelle aide l'enfant à faire le passage, et le périscolaire prend le "
            "relais pour les heures où vous travaillez."
        ),
        "audience": "Parents d'un enfant de 2 à 3 ans",
        "for_parents": True,
        "age_min": 2,
        "age_max": 3,
        "moments": ["faire-garder-son-enfant", "ecole-periscolaire"],
        "sectors": ["petite-enfance", "enfance"],
        "needs": ["accueil-avant-apres-ecole", "faire-garder-mon-enfant"],
        "validated": 80,
        "steps": [
            {
                "title": "Inscrire l'enfant à l'école en mairie",
                "what": (
                    "La mairie de votre commune inscrit l'enfant et vous dit dans quelle "
                    "école il ira."
                ),
                "what_falc": (
                    "Votre enfant va avoir 3 ans.\nAllez à la mairie.\n"
                    "La mairie l'inscrit à l'école."
                ),
                "partner_kind": "commune",
                "who_details": "La mairie de la commune où vous habitez.",
                "when": "Entre janvier et avril de l'année de ses 3 ans",
                "documents": (
                    "Livret de famille\nJustificatif de domicile de moins de 3 mois\n"
                    "Carnet de santé (vaccins)"
                ),
                "expected": "Vous recevez un certificat d'inscription à donner à l'école.",
                "fallback": (
                    "Si la mairie est fermée, France Services vous aide à faire "
                    "l'inscription en ligne."
                ),
            },
            {
                "title": "Préparer le passage avec la crèche ou l'assistante maternelle",
                "what": (
                    "Le Relais Petite Enfance organise avec les écoles des visites de la "
                    "classe de petite section : l'enfant découvre l'école avant la rentrée."
                ),
                "service": "relais-petite-enfance",
                "referent_theme": "petite_enfance",
                "when": "En mai ou juin, avant la rentrée",
                "fallback": "Demandez directement une visite à la directrice de l'école.",
            },
            {
                "title": "Inscrire au périscolaire et à la cantine",
                "what": (
                    "Pour le matin, le midi et le soir, inscrivez l'enfant à l'accueil "
                    "périscolaire de votre école."
                ),
                "need": "accueil-avant-apres-ecole",
                "when": "Avant le 1er juin",
                "documents": "Attestation d'assurance\nNuméro d'allocataire CAF (pour le tarif)",
                "fallback": (
                    "Plus de place ? Le coordinateur enfance-jeunesse cherche une solution "
                    "avec vous."
                ),
                "delay": "Confirmation avant la fin juin",
            },
            {
                "title": "Prévoir les mercredis et les vacances",
                "what": (
                    "Dès 3 ans, les accueils de loisirs reçoivent les enfants le mercredi "
                    "et pendant les vacances."
                ),
                "need": "centre-de-loisirs-vacances",
                "when": "Un mois avant les vacances",
                "fallback": (
                    "Si c'est complet, demandez la liste d'attente et le Relais pour une garde "
                    "ponctuelle."
                ),
            },
        ],
    },
    {
        "slug": "entree-au-college-activites",
        "title": "Entrer au collège et garder des activités, à 11 ans",
        "summary": (
            "Votre enfant quitte le centre de loisirs : les lieux et les aides pour les 11-17 ans."
        ),
        "audience": "Parents d'un enfant de 10 à 12 ans, et les jeunes eux-mêmes",
        "for_parents": True,
        "for_young_people": True,
        "age_min": 10,
        "age_max": 12,
        "moments": ["ecole-periscolaire", "adolescence", "vacances-loisirs"],
        "sectors": ["enfance", "jeunesse"],
        "needs": ["espace-jeunes", "aide-aux-devoirs", "centre-de-loisirs-vacances"],
        "validated": 60,
        "steps": [
            {
                "title": "Un dernier été au centre de loisirs, avec des journées passerelle",
                "what": (
                    "L'été de ses 11 ans, l'accueil de loisirs organise des journées avec "
                    "l'espace jeunes : votre enfant rencontre les animateurs."
                ),
                "service": "alsh-la-ruche-vacances",
                "need": "centre-de-loisirs-vacances",
                "when": "L'été avant la 6e",
                "fallback": "Le coordinateur enfance-jeunesse vous indique les autres dates.",
            },
            {
                "title": "Découvrir l'espace jeunes",
                "what": (
                    "Les espaces jeunes accueillent les 11-17 ans : jeux, projets, sorties, "
                    "séjours. L'inscription est à l'année et coûte peu."
                ),
                "what_falc": (
                    "L'espace jeunes est un lieu pour les 11-17 ans.\n"
                    "On y joue, on y fait des projets et des sorties."
                ),
                "need": "espace-jeunes",
                "when": "Dès l'entrée en 6e",
                "documents": "Fiche sanitaire\nAttestation d'assurance",
                "fallback": "Dans les villages, le camion jeunes passe chaque semaine.",
            },
            {
                "title": "Trouver de l'aide pour les devoirs",
                "what": "L'accompagnement à la scolarité aide en petit groupe après les cours.",
                "service": "accompagnement-scolarite-clas",
                "need": "aide-aux-devoirs",
                "when": "Dès la rentrée de 6e",
                "fallback": "La médiathèque prête des ordinateurs et aide aux recherches.",
            },
            {
                "title": "S'informer au Point Information Jeunesse",
                "what": "Pour le BAFA, un job d'été, un projet : le PIJ répond aux jeunes.",
                "service": "point-information-jeunesse",
                "referent_theme": "enfance_jeunesse",
                "when": "À tout moment",
            },
        ],
    },
    {
        "slug": "enfant-handicap-entree-a-l-ecole",
        "title": "Un enfant en situation de handicap entre à l'école",
        "summary": (
            "Faire reconnaître les besoins de votre enfant et préparer son accueil à "
            "l'école, au périscolaire et au centre de loisirs."
        ),
        "situation": (
            "Une aide humaine (AESH), du matériel ou un emploi du temps adapté passent par "
            "un dossier à la MDPH, qui prend plusieurs mois : il faut le commencer tôt."
        ),
        "audience": "Parents d'un enfant handicapé ou avec des difficultés de santé",
        "for_parents": True,
        "age_min": 2,
        "age_max": 11,
        "moments": ["handicap-enfant", "ecole-periscolaire"],
        "sectors": ["handicap", "enfance"],
        "needs": ["handicap-enfant"],
        "validated": 70,
        "steps": [
            {
                "title": "Faire le point avec la référente inclusion",
                "what": (
                    "La référente inclusion handicap connaît l'école, le périscolaire et "
                    "la MDPH. Elle vous aide à savoir par quoi commencer."
                ),
                "what_falc": (
                    "Votre enfant a un handicap.\nAppelez la référente handicap.\n"
                    "Elle vous dit quoi faire pour l'école."
                ),
                "referent_theme": "handicap",
                "when": "Dès que vous avez une inquiétude, au moins 6 mois avant la rentrée",
                "fallback": "Le médecin de PMI ou votre médecin peut aussi vous conseiller.",
            },
            {
                "title": "Déposer le dossier à la MDPH",
                "what": (
                    "Le dossier MDPH demande un projet personnalisé de scolarisation et, "
                    "si besoin, une aide humaine. La conseillère MDPH vous aide à le remplir."
                ),
                "service": "mdph-permanence",
                "need": "handicap-enfant",
                "when": "Avant la fin février pour la rentrée de septembre",
                "documents": (
                    "Certificat médical de moins d'un an\nBilans déjà faits (orthophonie, "
                    "psychologue…)\nJustificatif de domicile\nPièce d'identité"
                ),
                "expected": "La MDPH vous envoie sa décision et la transmet à l'école.",
                "fallback": (
                    "France Services vous aide à déposer le dossier en ligne si vous ne "
                    "pouvez pas venir à la permanence."
                ),
                "delay": "4 mois en moyenne",
            },
            {
                "title": "Préparer l'accueil au périscolaire et au centre de loisirs",
                "what": (
                    "Le pôle ressources handicap rencontre l'équipe d'animation avec vous "
                    "et prévoit ce qu'il faut : renfort, matériel, rythme."
                ),
                "service": "pole-ressources-handicap",
                "need": "handicap-enfant",
                "when": "Au printemps avant la rentrée",
                "fallback": "Le coordinateur enfance-jeunesse peut réunir l'équipe.",
            },
            {
                "title": "Être soutenu comme parent aidant",
                "what": "Groupes de parole, écoute et solutions de répit pour souffler.",
                "service": "repit-aidants",
                "need": "aidant-proche",
                "when": "À tout moment",
            },
        ],
    },
    {
        "slug": "formation-ou-premier-emploi-16-25",
        "title": "Trouver une formation ou un premier emploi (16-25 ans)",
        "summary": (
            "Vous avez quitté l'école ou vous hésitez : qui vous accompagne vers un métier."
        ),
        "audience": "Jeunes de 16 à 25 ans, et leurs parents",
        "for_young_people": True,
        "for_parents": True,
        "age_min": 16,
        "age_max": 25,
        "moments": ["16-25-ans"],
        "sectors": ["jeunesse", "insertion-emploi"],
        "needs": ["accompagnement-16-25", "emploi", "formation"],
        "validated": 50,
        "steps": [
            {
                "title": "S'informer sur les métiers au PIJ",
                "what": (
                    "Le Point Information Jeunesse vous aide à découvrir des métiers, "
                    "trouver un stage ou un job, préparer un CV."
                ),
                "service": "point-information-jeunesse",
                "need": "information-jeunesse",
                "when": "Dès 16 ans, sans rendez-vous",
            },
            {
                "title": "Rencontrer un conseiller de la Mission Locale",
                "what": (
                    "Un conseiller vous suit dans la durée : formation, apprentissage, "
                    "emploi, mais aussi santé, logement et permis."
                ),
                "what_falc": (
                    "Vous avez entre 16 et 25 ans.\nVous n'allez plus à l'école.\n"
                    "La Mission Locale vous aide à trouver une formation ou un travail."
                ),
                "need": "accompagnement-16-25",
                "partner_kind": "mission_locale",
                "when": "Dès que vous avez quitté l'école",
                "documents": "Pièce d'identité\nCarte Vitale\nCV si vous en avez un",
                "expected": "Un premier rendez-vous, puis un conseiller attitré.",
                "fallback": (
                    "Si vous ne pouvez pas vous déplacer, la Mission Locale reçoit aussi à "
                    "Villeneuve-la-Guyard et au téléphone."
                ),
                "delay": "Premier rendez-vous sous 15 jours",
            },
            {
                "title": "Entrer dans le contrat d'engagement jeune",
                "what": (
                    "Un accompagnement de 15 à 20 heures par semaine, avec une allocation "
                    "selon vos ressources."
                ),
                "service": "contrat-engagement-jeune",
                "need": "accompagnement-16-25",
                "when": "Si vous n'êtes ni en emploi ni en formation",
                "delay": "Entrée dans le mois",
            },
            {
                "title": "Trouver un moyen de se déplacer",
                "what": "Location de scooter, transport à la demande, permis à tarif adapté.",
                "need": "mobilite-permis",
                "when": "Dès qu'un stage ou un emploi est en vue",
                "fallback": "Le transport à la demande va jusqu'à la gare sur réservation.",
            },
        ],
    },
    {
        "slug": "parent-seul-apres-une-separation",
        "title": "Parent seul après une séparation",
        "summary": (
            "Faire valoir vos droits, vous organiser pour les enfants et ne pas rester seul."
        ),
        "audience": "Parents séparés ou en train de se séparer",
        "for_parents": True,
        "moments": ["parentalite-separation", "argent-acces-aux-droits"],
        "sectors": ["parentalite", "acces-aux-droits"],
        "needs": ["conflit-familial-separation", "demarches-caf"],
        "validated": 40,
        "steps": [
            {
                "title": "Prévenir la CAF du changement de situation",
                "what": (
                    "Déclarez la séparation à la CAF : vos aides sont recalculées et vous "
                    "pouvez avoir droit à l'allocation de soutien familial."
                ),
                "what_falc": (
                    "Vous êtes séparé.\nDites-le à la CAF.\n"
                    "France Services peut vous aider à le faire."
                ),
                "partner_kind": "france_services",
                "need": "demarches-caf",
                "when": "Dans le mois qui suit la séparation",
                "documents": "Numéro d'allocataire CAF\nNouvelle adresse\nRIB",
                "expected": "La CAF recalcule vos droits et vous écrit.",
                "fallback": (
                    "Un rendez-vous avec un conseiller CAF est possible à France Services."
                ),
                "delay": "Réponse sous 1 mois",
            },
            {
                "title": "Être accompagné par le travailleur social de la CAF",
                "what": (
                    "Il vous aide à faire le point : budget, logement, pension alimentaire, "
                    "démarches."
                ),
                "service": "caf-travailleur-social",
                "need": "conflit-familial-separation",
                "when": "Dans les 3 mois",
                "fallback": "L'assistante sociale du Département peut aussi vous recevoir.",
            },
            {
                "title": "S'entendre pour les enfants avec la médiation familiale",
                "what": (
                    "Un médiateur neutre aide les deux parents à se mettre d'accord : "
                    "résidence, vacances, pension."
                ),
                "service": "mediation-familiale",
                "need": "conflit-familial-separation",
                "when": "Dès que le dialogue est difficile",
                "fallback": (
                    "Le point-justice vous informe gratuitement sur vos droits (pension, "
                    "garde) ; en cas de violences, la médiation n'est pas adaptée : appelez "
                    "le 3919."
                ),
            },
            {
                "title": "Garder le lien avec l'autre parent",
                "what": (
                    "L'espace rencontre permet à l'enfant de voir son autre parent dans un lieu "
                    "neutre."
                ),
                "service": "espace-rencontre",
                "need": "conflit-familial-separation",
                "when": "Si les rencontres sont difficiles ou décidées par le juge",
            },
            {
                "title": "Ne pas rester seul comme parent",
                "what": (
                    "Ateliers, café des parents, écoute : la coordinatrice parentalité vous "
                    "oriente."
                ),
                "referent_theme": "parentalite",
                "when": "À tout moment",
            },
        ],
    },
    {
        "slug": "demarches-caf-a-france-services",
        "title": "Être aidé pour ses démarches CAF à France Services",
        "summary": (
            "Un dossier CAF bloqué, un compte en ligne, un courrier incompris : France Services "
            "vous aide."
        ),
        "audience": "Tous les allocataires, familles et jeunes",
        "for_parents": True,
        "for_young_people": True,
        "for_future_parents": True,
        "moments": ["demarches-numerique", "argent-acces-aux-droits"],
        "sectors": ["france-services", "numerique"],
        "needs": ["demarches-caf", "aide-numerique", "demarches-administratives"],
        "validated": 30,
        "steps": [
            {
                "title": "Aller à France Services",
                "what": (
                    "Un conseiller vous reçoit, avec ou sans rendez-vous, et fait la "
                    "démarche avec vous sur l'ordinateur."
                ),
                "what_falc": (
                    "France Services aide pour les papiers.\nVenez avec vos papiers CAF.\n"
                    "Un conseiller vous aide.\nC'est gratuit."
                ),
                "partner_kind": "france_services",
                "need": "demarches-caf",
                "when": "Dès que vous avez un courrier ou une démarche à faire",
                "documents": (
                    "Numéro d'allocataire et mot de passe CAF\nPièce d'identité\n"
                    "Les courriers reçus\nRIB"
                ),
                "expected": "La démarche est faite ou vous savez exactement quoi faire.",
                "fallback": "Le bus France Services passe une fois par mois dans les villages.",
            },
            {
                "title": "Voir un conseiller de la CAF pour un dossier compliqué",
                "what": (
                    "Pour un trop-perçu, un changement de situation ou un litige, la CAF reçoit "
                    "sur rendez-vous à France Services."
                ),
                "service": "caf-rendez-vous-conseiller",
                "need": "demarches-caf",
                "when": "Si France Services ne peut pas régler le problème",
                "delay": "Rendez-vous sous 15 jours",
                "fallback": "Le référent accès aux droits de France Services suit votre dossier.",
            },
            {
                "title": "Apprendre à faire seul",
                "what": (
                    "Le conseiller numérique apprend à utiliser son compte en ligne, sa "
                    "messagerie, FranceConnect."
                ),
                "service": "conseiller-numerique",
                "need": "aide-numerique",
                "when": "Quand vous le souhaitez",
            },
        ],
    },
    {
        "slug": "difficultes-pour-payer-ou-se-nourrir",
        "title": "Des difficultés pour payer les factures ou se nourrir",
        "summary": "Une aide d'urgence maintenant, puis faire le point sur tous vos droits.",
        "audience": "Familles et personnes seules en difficulté",
        "for_parents": True,
        "for_young_people": True,
        "moments": ["argent-acces-aux-droits"],
        "sectors": ["acces-aux-droits"],
        "needs": ["aide-financiere", "aide-alimentaire", "acces-aux-droits"],
        "validated": 25,
        "steps": [
            {
                "title": "Demander une aide d'urgence au CCAS",
                "what": (
                    "Le CCAS de votre commune peut donner des bons alimentaires ou une aide "
                    "pour une facture."
                ),
                "what_falc": (
                    "Vous n'avez plus d'argent pour manger ou payer.\n"
                    "Allez au CCAS de votre mairie.\nIl peut vous aider vite."
                ),
                "partner_kind": "ccas",
                "need": "aide-financiere",
                "when": "Tout de suite",
                "documents": (
                    "Pièce d'identité\nDerniers justificatifs de ressources\nFacture en retard"
                ),
                "fallback": (
                    "Si votre commune n'a pas de CCAS, l'assistante sociale du Département vous "
                    "reçoit."
                ),
                "delay": "Réponse en quelques jours",
            },
            {
                "title": "Faire ses courses à l'épicerie solidaire",
                "what": (
                    "Des produits à petit prix pendant quelques mois, sur orientation d'un "
                    "travailleur social."
                ),
                "service": "epicerie-solidaire",
                "need": "aide-alimentaire",
                "when": "Après l'accord du CCAS ou de l'assistante sociale",
            },
            {
                "title": "Vérifier que vous avez tous vos droits",
                "what": (
                    "Prime d'activité, complémentaire santé solidaire, aides au logement : un "
                    "conseiller fait le point avec vous."
                ),
                "need": "acces-aux-droits",
                "partner_kind": "france_services",
                "when": "Dans le mois",
                "documents": "Avis d'imposition\nBulletins de salaire ou attestations",
            },
            {
                "title": "Être accompagné dans la durée",
                "what": (
                    "L'assistante sociale vous aide à bâtir un budget et à négocier les dettes."
                ),
                "service": "service-social-departemental",
                "referent_theme": "precarite",
                "when": "Si les difficultés durent",
                "delay": "Rendez-vous sous 3 semaines",
            },
        ],
    },
    {
        "slug": "un-ado-qui-ne-va-pas-bien",
        "title": "Un adolescent qui ne va pas bien",
        "summary": (
            "Repli, tristesse, conflits, décrochage : être écouté, jeune ou parent, et trouver un "
            "soin."
        ),
        "audience": "Jeunes de 11 à 17 ans et leurs parents",
        "for_parents": True,
        "for_young_people": True,
        "age_min": 11,
        "age_max": 17,
        "moments": ["adolescence", "parentalite-separation"],
        "sectors": ["jeunesse", "sante", "parentalite"],
        "needs": ["sante-des-jeunes", "ecoute-sante-mentale"],
        "validated": 20,
        "steps": [
            {
                "title": "En parler au Point Accueil Écoute Jeunes",
                "what": (
                    "Un psychologue écoute les jeunes, gratuitement et sans le dire aux parents "
                    "si le jeune ne le veut pas."
                ),
                "what_falc": (
                    "Tu ne vas pas bien.\nTu peux parler à un psychologue.\n"
                    "C'est gratuit et secret."
                ),
                "service": "paej-ecoute-jeunes",
                "need": "sante-des-jeunes",
                "when": "Dès que ça ne va pas",
                "fallback": (
                    "Fil Santé Jeunes répond au 0 800 235 236, tous les jours, anonyme et gratuit."
                ),
            },
            {
                "title": "Parents : être écouté et conseillé",
                "what": "Une professionnelle répond aux parents au téléphone, le soir aussi.",
                "service": "ecoute-parents",
                "need": "soutien-parentalite",
                "when": "Quand vous êtes inquiet",
            },
            {
                "title": "Consulter au centre médico-psychologique",
                "what": (
                    "Psychologues et pédopsychiatre reçoivent les ados, gratuitement, sur "
                    "rendez-vous."
                ),
                "service": "cmp-enfants-adolescents",
                "need": "ecoute-sante-mentale",
                "when": "Si le mal-être dure plus de quelques semaines",
                "delay": "Premier rendez-vous sous 1 à 3 mois",
                "fallback": (
                    "Si l'attente est trop longue, votre médecin peut prescrire des séances "
                    "de psychologue remboursées. En cas d'idées suicidaires : 3114, jour et nuit."
                ),
            },
        ],
    },
    {
        "slug": "mercredis-et-vacances-3-17-ans",
        "title": "Occuper les mercredis et les vacances (3-17 ans)",
        "summary": (
            "Centres de loisirs, sport, culture, espaces jeunes : selon l'âge, où inscrire votre "
            "enfant."
        ),
        "audience": "Parents d'enfants de 3 à 17 ans",
        "for_parents": True,
        "for_young_people": True,
        "age_min": 3,
        "age_max": 17,
        "moments": ["vacances-loisirs"],
        "sectors": ["enfance", "jeunesse"],
        "needs": ["centre-de-loisirs-vacances", "activites-sport-culture", "espace-jeunes"],
        "validated": 15,
        "steps": [
            {
                "title": "De 3 à 11 ans : l'accueil de loisirs",
                "what": "À la journée ou à la demi-journée, avec un tarif selon vos revenus.",
                "need": "centre-de-loisirs-vacances",
                "when": "Inscription un mois avant les vacances",
                "documents": "Fiche sanitaire\nNuméro d'allocataire CAF",
                "fallback": (
                    "Liste d'attente : le coordinateur enfance-jeunesse cherche une place "
                    "ailleurs."
                ),
            },
            {
                "title": "Découvrir un sport ou une activité culturelle",
                "what": (
                    "École multisports, médiathèque, ateliers : des activités gratuites ou à "
                    "petit prix."
                ),
                "need": "activites-sport-culture",
                "when": "À la rentrée de septembre",
            },
            {
                "title": "De 11 à 17 ans : l'espace jeunes",
                "what": "Sorties, séjours et projets avec des animateurs.",
                "need": "espace-jeunes",
                "when": "Toute l'année",
            },
            {
                "title": "Demander une aide pour les vacances",
                "what": (
                    "La CAF aide à payer le centre de loisirs et les séjours selon vos revenus."
                ),
                "partner_kind": "france_services",
                "need": "demarches-caf",
                "when": "Avant l'inscription",
            },
        ],
    },
    {
        "slug": "premier-logement-18-25-ans",
        "title": "Trouver un premier logement (18-25 ans)",
        "summary": "Logement social, colocation, aides pour la caution : par où commencer.",
        "audience": "Jeunes de 18 à 25 ans",
        "for_young_people": True,
        "age_min": 18,
        "age_max": 25,
        "moments": ["16-25-ans"],
        "sectors": ["jeunesse", "logement-mobilite"],
        "needs": ["logement"],
        "validated": 10,
        "steps": [
            {
                "title": "S'informer au Point Information Jeunesse",
                "what": "Les offres, les garanties (Visale), les droits du locataire.",
                "service": "point-information-jeunesse",
                "need": "logement",
                "when": "Avant de chercher",
            },
            {
                "title": "Déposer une demande de logement social",
                "what": (
                    "La permanence logement vous aide à remplir la demande et suit le dossier."
                ),
                "service": "point-info-logement",
                "need": "logement",
                "when": "Le plus tôt possible",
                "documents": (
                    "Pièce d'identité\nAvis d'imposition\nBulletins de salaire ou contrat"
                ),
                "delay": "Plusieurs mois selon les communes",
                "fallback": (
                    "La Mission Locale connaît des solutions temporaires (foyers de jeunes "
                    "travailleurs)."
                ),
            },
            {
                "title": "Demander l'aide au logement",
                "what": "Dès la signature du bail, demandez l'aide au logement de la CAF.",
                "partner_kind": "france_services",
                "need": "demarches-caf",
                "when": "Dans le mois de l'entrée dans le logement",
                "documents": "Bail\nRIB\nNuméro fiscal",
            },
        ],
    },
    {
        "slug": "violences-dans-la-famille",
        "title": "Violences dans le couple ou la famille",
        "summary": "Être protégé, écouté et accompagné, pour vous et vos enfants.",
        "audience": "Victimes de violences, et leurs proches",
        "for_parents": True,
        "for_young_people": True,
        "moments": ["parentalite-separation"],
        "sectors": ["parentalite", "acces-aux-droits"],
        "needs": ["violences-intrafamiliales"],
        "validated": None,
        "steps": [
            {
                "title": "Être écouté et mis à l'abri",
                "what": (
                    "Une association accompagne les victimes : écoute, hébergement, démarches."
                ),
                "service": "accompagnement-violences",
                "need": "violences-intrafamiliales",
                "when": "Dès que vous êtes prêt, sans attendre une plainte",
                "fallback": "En danger immédiat : 17 ou SMS au 114. Écoute anonyme : 3919.",
            },
            {
                "title": "Faire valoir ses droits",
                "what": (
                    "Le point-justice vous informe sur l'ordonnance de protection et le divorce."
                ),
                "service": "point-justice",
                "need": "acces-aux-droits",
                "when": "Quand vous êtes à l'abri",
            },
        ],
    },
    {
        "slug": "se-soigner-avec-peu-de-moyens",
        "title": "Se soigner quand on a peu de moyens",
        "summary": "Complémentaire santé solidaire, médecin traitant, renoncement aux soins.",
        "audience": "Familles et jeunes aux revenus modestes",
        "for_parents": True,
        "for_young_people": True,
        "moments": ["argent-acces-aux-droits"],
        "sectors": ["sante", "acces-aux-droits"],
        "needs": ["se-soigner"],
        "validated": None,
        "steps": [
            {
                "title": "Demander la complémentaire santé solidaire",
                "what": (
                    "Un conseiller de l'Assurance maladie vérifie vos droits à France Services."
                ),
                "service": "cpam-permanence",
                "need": "se-soigner",
                "when": "Dès que possible",
            },
            {
                "title": "Trouver un médecin traitant",
                "what": (
                    "La maison de santé prend de nouveaux patients et reçoit sans rendez-vous le "
                    "samedi."
                ),
                "service": "maison-de-sante",
                "need": "se-soigner",
                "when": "Après l'ouverture des droits",
                "fallback": (
                    "La mission accompagnement santé de la CPAM cherche une solution avec vous."
                ),
            },
        ],
    },
]

STEP_FIELDS = ["title", "what", "what_falc", "referent_theme", "partner_kind", "who_details",
               "when", "documents", "expected", "fallback", "delay"]  # fmt: skip


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"Parcours (démonstration) : {message}")


def _by_slug(model, slugs, stdout, what: str) -> list:
    found = {obj.slug: obj for obj in model.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            _say(stdout, f"{what} « {slug} » introuvable, ignoré.")
    return [found[slug] for slug in slugs if slug in found]


@transaction.atomic
def load(stdout=None) -> list[Pathway]:
    today = timezone.localdate()
    services = {service.slug: service for service in Service.objects.all()}
    needs = {need.slug: need for need in Need.objects.all()}
    pathways = []
    for data in PATHWAYS:
        days = data["validated"]
        fields = {
            key: data.get(key, default)
            for key, default in [
                ("title", ""),
                ("summary", ""),
                ("situation", ""),
                ("audience", ""),
                ("for_future_parents", False),
                ("for_parents", False),
                ("for_young_people", False),
                ("age_min", None),
                ("age_max", None),
            ]
        }
        fields.update(
            status=Pathway.Status.PUBLISHED if days is not None else Pathway.Status.DRAFT,
            validated_on=today - dt.timedelta(days=days) if days is not None else None,
            validated_by=VALIDATOR if days is not None else "",
            reviewed_on=today - dt.timedelta(days=days // 2) if days is not None else None,
            needs_review=False,
            review_reason="",
        )
        pathway, _created = Pathway.objects.update_or_create(slug=data["slug"], defaults=fields)
        pathway.life_moments.set(_by_slug(LifeMoment, data["moments"], stdout, "moment de vie"))
        pathway.sectors.set(_by_slug(Sector, data["sectors"], stdout, "secteur"))
        pathway.needs.set(_by_slug(Need, data["needs"], stdout, "besoin"))

        pathway.steps.all().delete()
        withdrawn = []
        for position, step_data in enumerate(data["steps"], start=1):
            step = Step(pathway=pathway, position=position)
            for name in STEP_FIELDS:
                setattr(step, name, step_data.get(name, ""))
            if "service" in step_data:
                step.service = services.get(step_data["service"])
                if step.service is None:
                    _say(stdout, f"service « {step_data['service']} » introuvable.")
                elif not step.service.is_public:
                    withdrawn.append(step.service.name)
            if "need" in step_data:
                step.need = needs.get(step_data["need"])
                if step.need is None:
                    _say(stdout, f"besoin « {step_data['need']} » introuvable.")
            if not step.has_who:
                _say(stdout, f"étape « {step.title} » sans interlocuteur, ignorée.")
                continue
            step.save()

        if withdrawn:
            pathway.needs_review = True
            pathway.review_reason = f"Service non publié : {', '.join(withdrawn)}"[:255]
            pathway.save(update_fields=["needs_review", "review_reason"])
        if pathway.is_published and Pathway.publication_errors(list(pathway.steps.all())):
            _say(stdout, f"« {pathway.title} » incomplet : laissé en brouillon.")
            pathway.unpublish()
        pathway.refresh_derived()
        pathways.append(pathway)

    published = sum(1 for pathway in pathways if pathway.is_published)
    _say(stdout, f"{len(pathways)} parcours types, dont {published} publiés et validés.")
    return pathways
