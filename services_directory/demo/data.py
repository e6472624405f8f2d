"""The demonstration territory: the Communauté de communes Yonne Nord (CCYN), Yonne (89).

Plain Python structures with stable slugs: demo pathways, demo referrals and tests
refer to them, so a slug is never renamed once published here.

The communes are real (INSEE code, postcode, approximate centre). Everything else is
invented for the demonstration: structures' contacts use the numbers ARCEP reserves
for fiction (03 53 73 xx xx) and `example.org` addresses, so nothing rings a real
person. Dates are relative to the day `load_demo` runs (days from today).

Sector and need slugs come from migration 0003 (product data, not demo data).
"""

TERRITORY = {
    "name": "Communauté de communes Yonne Nord",
    "short_name": "CC Yonne Nord",
    "siren": "",
    "contact_email": "action-sociale@ccyn.example.org",
    "contact_phone": "03 53 73 10 00",
    "address": "Place de l'Hôtel de Ville, 89140 Pont-sur-Yonne",
}

# slug, name, INSEE code, postcode, latitude, longitude
COMMUNES = [
    ("pont-sur-yonne", "Pont-sur-Yonne", "89309", "89140", 48.2856, 3.2019),
    ("villeneuve-la-guyard", "Villeneuve-la-Guyard", "89460", "89340", 48.3406, 3.0617),
    ("sergines", "Sergines", "89391", "89140", 48.3417, 3.2617),
    ("champigny", "Champigny", "89074", "89340", 48.3153, 3.1289),
    ("michery", "Michery", "89255", "89140", 48.3119, 3.2383),
    ("serbonnes", "Serbonnes", "89390", "89140", 48.3203, 3.2032),
    ("courlon-sur-yonne", "Courlon-sur-Yonne", "89124", "89140", 48.3389, 3.1667),
    ("vinneuf", "Vinneuf", "89480", "89140", 48.3489, 3.1408),
    ("villeblevin", "Villeblevin", "89449", "89340", 48.3242, 3.0781),
    ("villemanoche", "Villemanoche", "89456", "89140", 48.3092, 3.1864),
    ("chaumont", "Chaumont", "89093", "89340", 48.3203, 3.0939),
    ("saint-serotin", "Saint-Sérotin", "89367", "89140", 48.2444, 3.1617),
    ("gisy-les-nobles", "Gisy-les-Nobles", "89189", "89140", 48.2906, 3.2456),
    ("cuy", "Cuy", "89135", "89140", 48.2486, 3.2639),
    ("evry", "Évry", "89161", "89140", 48.2667, 3.2506),
]

# Partners (structures). `commune` is a commune slug or None (seat outside the territory).
PARTNERS = [
    {
        "slug": "ccyn-petite-enfance",
        "name": "Service Petite Enfance de la CCYN",
        "kind": "epci",
        "description": (
            "Le service intercommunal gère les multi-accueils, le Relais Petite Enfance et "
            "le lieu d'accueil enfants-parents. Il conseille les familles sur tous les modes "
            "de garde du territoire."
        ),
        "phone": "03 53 73 10 20",
        "email": "petite-enfance@ccyn.example.org",
        "website": "https://ccyn.example.org/petite-enfance",
        "address": "5 rue des Écoles, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "ccyn-enfance-jeunesse",
        "name": "Service Enfance-Jeunesse de la CCYN",
        "kind": "epci",
        "description": (
            "Accueils de loisirs des mercredis et des vacances, espaces jeunes, Point "
            "Information Jeunesse et animation jeunesse itinérante dans les villages."
        ),
        "phone": "03 53 73 10 30",
        "email": "enfance-jeunesse@ccyn.example.org",
        "website": "https://ccyn.example.org/enfance-jeunesse",
        "address": "3 rue de la République, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "france-services-yonne-nord",
        "name": "France Services Yonne Nord",
        "kind": "france_services",
        "description": (
            "Un seul guichet pour les démarches administratives : CAF, impôts, Assurance "
            "maladie, retraite, France Travail, papiers d'identité. Deux lieux d'accueil, "
            "un bus qui passe dans les villages et un conseiller numérique."
        ),
        "phone": "03 53 73 10 40",
        "email": "franceservices@ccyn.example.org",
        "website": "https://ccyn.example.org/france-services",
        "address": "12 place de l'Hôtel de Ville, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "caf-yonne",
        "name": "CAF de l'Yonne",
        "kind": "caf",
        "description": (
            "La Caisse d'allocations familiales verse les prestations familiales, les aides "
            "au logement, le RSA et la prime d'activité. Ses travailleurs sociaux "
            "accompagnent les familles lors d'une séparation, d'un décès ou d'un impayé."
        ),
        "phone": "03 53 73 20 00",
        "email": "contact-demo@caf89.example.org",
        "website": "https://www.caf.fr",
        "address": "Auxerre (accueil sur rendez-vous dans les France Services)",
        "commune": None,
    },
    {
        "slug": "departement-yonne-solidarites",
        "name": "Département de l'Yonne – PMI et action sociale",
        "kind": "departement",
        "description": (
            "Le centre médico-social de Pont-sur-Yonne accueille la PMI (consultations "
            "des tout-petits, sage-femme, puéricultrice) et le service social "
            "départemental (assistantes sociales, protection de l'enfance)."
        ),
        "phone": "03 53 73 20 10",
        "email": "cms-pont@yonne-demo.example.org",
        "website": "https://yonne-demo.example.org/solidarites",
        "address": "10 avenue de la Gare, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "mission-locale-nord-yonne",
        "name": "Mission Locale du Nord de l'Yonne",
        "kind": "mission_locale",
        "description": (
            "Accompagne les jeunes de 16 à 25 ans sortis de l'école : emploi, formation, "
            "santé, logement, mobilité. Permanences à Pont-sur-Yonne et Villeneuve-la-Guyard."
        ),
        "phone": "03 53 73 20 20",
        "email": "accueil@ml-nord-yonne.example.org",
        "website": "https://ml-nord-yonne.example.org",
        "address": "Sens (permanences sur le territoire)",
        "commune": None,
    },
    {
        "slug": "france-travail-sens",
        "name": "France Travail Sens",
        "kind": "france_travail",
        "description": (
            "L'agence France Travail de Sens inscrit les demandeurs d'emploi, verse les "
            "allocations chômage et propose des offres et des ateliers. Des rendez-vous ont "
            "lieu à France Services Yonne Nord."
        ),
        "phone": "03 53 73 20 30",
        "email": "sens-demo@francetravail.example.org",
        "website": "https://www.francetravail.fr",
        "address": "Sens",
        "commune": None,
    },
    {
        "slug": "cpam-yonne",
        "name": "CPAM de l'Yonne",
        "kind": "sante",
        "description": (
            "L'Assurance maladie : carte Vitale, remboursements, complémentaire santé "
            "solidaire, accompagnement des personnes qui renoncent à se soigner."
        ),
        "phone": "03 53 73 20 40",
        "email": "accueil-demo@cpam89.example.org",
        "website": "https://www.ameli.fr",
        "address": "Auxerre (permanence à France Services Yonne Nord)",
        "commune": None,
    },
    {
        "slug": "mdph-yonne",
        "name": "MDPH de l'Yonne",
        "kind": "departement",
        "description": (
            "La Maison départementale des personnes handicapées reçoit les demandes de "
            "reconnaissance du handicap des enfants et des adultes (AEEH, AAH, RQTH, PCH, "
            "carte mobilité inclusion, orientation scolaire)."
        ),
        "phone": "03 53 73 20 50",
        "email": "accueil-demo@mdph89.example.org",
        "website": "https://mdph89.example.org",
        "address": "Auxerre (permanence mensuelle à Pont-sur-Yonne)",
        "commune": None,
    },
    {
        "slug": "mairie-pont-sur-yonne",
        "name": "Mairie de Pont-sur-Yonne",
        "kind": "commune",
        "description": "Périscolaire, restauration scolaire et CCAS de la commune.",
        "phone": "03 53 73 30 00",
        "email": "mairie@pont-sur-yonne-demo.example.org",
        "website": "",
        "address": "Place de l'Hôtel de Ville, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "mairie-villeneuve-la-guyard",
        "name": "Mairie de Villeneuve-la-Guyard",
        "kind": "commune",
        "description": "Périscolaire et CCAS de la commune.",
        "phone": "03 53 73 30 10",
        "email": "mairie@villeneuve-la-guyard-demo.example.org",
        "website": "",
        "address": "1 place de la Mairie, 89340 Villeneuve-la-Guyard",
        "commune": "villeneuve-la-guyard",
    },
    {
        "slug": "mairie-sergines",
        "name": "Mairie de Sergines",
        "kind": "commune",
        "description": "Périscolaire du regroupement scolaire de Sergines.",
        "phone": "03 53 73 30 20",
        "email": "mairie@sergines-demo.example.org",
        "website": "",
        "address": "Grande Rue, 89140 Sergines",
        "commune": "sergines",
    },
    {
        "slug": "ccas-pont-sur-yonne",
        "name": "CCAS de Pont-sur-Yonne",
        "kind": "ccas",
        "description": (
            "Le centre communal d'action sociale aide les habitants de Pont-sur-Yonne en "
            "difficulté : aides d'urgence, accès à l'épicerie solidaire, domiciliation."
        ),
        "phone": "03 53 73 30 05",
        "email": "ccas@pont-sur-yonne-demo.example.org",
        "website": "",
        "address": "Place de l'Hôtel de Ville, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "ccas-villeneuve-la-guyard",
        "name": "CCAS de Villeneuve-la-Guyard",
        "kind": "ccas",
        "description": "Aides d'urgence et accompagnement des habitants de Villeneuve-la-Guyard.",
        "phone": "03 53 73 30 15",
        "email": "ccas@villeneuve-la-guyard-demo.example.org",
        "website": "",
        "address": "1 place de la Mairie, 89340 Villeneuve-la-Guyard",
        "commune": "villeneuve-la-guyard",
    },
    {
        "slug": "entre-deux-rives",
        "name": "Association Entre Deux Rives – médiation familiale",
        "kind": "association",
        "description": (
            "Service de médiation familiale conventionné par la CAF et espace rencontre "
            "parents-enfants. Des médiateurs diplômés d'État aident les familles à "
            "renouer le dialogue."
        ),
        "phone": "03 53 73 40 00",
        "email": "contact@entre-deux-rives.example.org",
        "website": "https://entre-deux-rives.example.org",
        "address": "7 rue du Pont, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "parents-en-chemin",
        "name": "Association Parents en Chemin (REAAP)",
        "kind": "association",
        "description": (
            "Réseau d'écoute, d'appui et d'accompagnement des parents : ateliers, café des "
            "parents, soirées-débats, écoute téléphonique. Animé par des professionnels "
            "et des parents bénévoles."
        ),
        "phone": "03 53 73 40 10",
        "email": "bonjour@parents-en-chemin.example.org",
        "website": "https://parents-en-chemin.example.org",
        "address": "Maison des associations, 89340 Villeneuve-la-Guyard",
        "commune": "villeneuve-la-guyard",
    },
    {
        "slug": "lire-et-dire",
        "name": "Association Lire et Dire",
        "kind": "association",
        "description": (
            "Accompagnement à la scolarité pour les enfants et ateliers de français pour "
            "les adultes, avec des bénévoles formés."
        ),
        "phone": "03 53 73 40 20",
        "email": "contact@lire-et-dire.example.org",
        "website": "",
        "address": "Médiathèque intercommunale, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "panier-partage",
        "name": "Épicerie solidaire Le Panier Partagé",
        "kind": "association",
        "description": (
            "Épicerie solidaire où les familles orientées par un travailleur social "
            "achètent des produits à 10 à 30 % de leur prix, et ateliers cuisine et budget."
        ),
        "phone": "03 53 73 40 30",
        "email": "panier-partage@example.org",
        "website": "",
        "address": "22 rue du Faubourg, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "mobilite-nord-yonne",
        "name": "Plateforme Mobilité Nord Yonne",
        "kind": "association",
        "description": (
            "Association d'insertion : diagnostic mobilité, auto-école sociale, location de "
            "scooters et de voitures à petit prix, garage solidaire."
        ),
        "phone": "03 53 73 40 40",
        "email": "mobilite@nord-yonne.example.org",
        "website": "https://mobilite-nord-yonne.example.org",
        "address": "Rue de l'Industrie, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "jardins-de-l-yonne",
        "name": "Les Jardins de l'Yonne (chantier d'insertion)",
        "kind": "association",
        "description": (
            "Atelier et chantier d'insertion en maraîchage biologique : un contrat de "
            "travail et un accompagnement pour retrouver un emploi durable."
        ),
        "phone": "03 53 73 40 50",
        "email": "jardins@example.org",
        "website": "",
        "address": "Chemin des Prés, 89340 Champigny",
        "commune": "champigny",
    },
    {
        "slug": "paej-nord-yonne",
        "name": "Point Accueil Écoute Jeunes du Nord de l'Yonne",
        "kind": "association",
        "description": (
            "Des psychologues et éducateurs écoutent gratuitement et anonymement les "
            "jeunes de 12 à 25 ans et leurs parents."
        ),
        "phone": "03 53 73 40 60",
        "email": "ecoute@paej-nord-yonne.example.org",
        "website": "",
        "address": "Point Information Jeunesse, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "maison-de-sante-pont",
        "name": "Maison de santé pluriprofessionnelle de Pont-sur-Yonne",
        "kind": "sante",
        "description": (
            "Médecins généralistes, infirmières, kinésithérapeutes, orthophoniste et "
            "diététicienne réunis dans un même lieu, avec des consultations sans "
            "rendez-vous le samedi matin."
        ),
        "phone": "03 53 73 50 00",
        "email": "secretariat@msp-pont.example.org",
        "website": "",
        "address": "Route de Sens, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "cmp-infanto-juvenile",
        "name": "Centre médico-psychologique enfants et adolescents",
        "kind": "sante",
        "description": (
            "Antenne du secteur de psychiatrie infanto-juvénile : psychologues, "
            "orthophoniste, psychomotricienne et pédopsychiatre, consultations gratuites."
        ),
        "phone": "03 53 73 50 10",
        "email": "cmp-enfants@ch-demo.example.org",
        "website": "",
        "address": "15 rue du Pont, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "mediatheque-intercommunale",
        "name": "Médiathèque intercommunale Yonne Nord",
        "kind": "epci",
        "description": (
            "Livres, jeux, ordinateurs en accès libre et animations pour tous les âges."
        ),
        "phone": "03 53 73 10 50",
        "email": "mediatheque@ccyn.example.org",
        "website": "https://ccyn.example.org/mediatheque",
        "address": "4 place de la République, 89140 Pont-sur-Yonne",
        "commune": "pont-sur-yonne",
    },
    {
        "slug": "point-justice-yonne",
        "name": "Point-justice de l'Yonne",
        "kind": "autre",
        "description": (
            "Des juristes et des avocats informent gratuitement sur vos droits : famille, "
            "logement, travail, dettes."
        ),
        "phone": "03 53 73 50 20",
        "email": "point-justice@justice-demo.example.org",
        "website": "",
        "address": "Permanences à France Services Yonne Nord",
        "commune": None,
    },
    {
        "slug": "repit-aidants-yonne",
        "name": "Plateforme d'accompagnement et de répit des aidants",
        "kind": "sante",
        "description": (
            "Écoute, information, groupes de parole et solutions de répit pour les "
            "personnes qui aident un proche malade, handicapé ou âgé."
        ),
        "phone": "03 53 73 50 30",
        "email": "aidants@repit-demo.example.org",
        "website": "",
        "address": "Villeneuve-la-Guyard",
        "commune": "villeneuve-la-guyard",
    },
]

# Places (lieux d'accueil), keyed for the services below.
# key: (name, commune slug, address, step_free, accessibility notes, public transport)
PLACES = {
    "psy-maison-services": (
        "Maison des services",
        "pont-sur-yonne",
        "12 place de l'Hôtel de Ville",
        True,
        "Entrée de plain-pied, boucle magnétique à l'accueil.",
        "Arrêt « Hôtel de Ville », ligne Sens – Pont-sur-Yonne ; gare SNCF à 10 minutes à pied.",
    ),
    "psy-petite-enfance": (
        "Maison de la petite enfance",
        "pont-sur-yonne",
        "5 rue des Écoles",
        True,
        "Parking poussettes couvert.",
        "Arrêt « Écoles ».",
    ),
    "psy-cms": (
        "Centre médico-social",
        "pont-sur-yonne",
        "10 avenue de la Gare",
        True,
        "Ascenseur pour le 1er étage.",
        "Face à la gare SNCF.",
    ),
    "psy-ecole": (
        "Groupe scolaire du Centre",
        "pont-sur-yonne",
        "8 rue des Écoles",
        True,
        "",
        "Arrêt « Écoles ».",
    ),
    "psy-alsh": (
        "Accueil de loisirs Les Castors",
        "pont-sur-yonne",
        "Chemin du Stade",
        True,
        "",
        "",
    ),
    "psy-mediatheque": (
        "Médiathèque intercommunale",
        "pont-sur-yonne",
        "4 place de la République",
        True,
        "Postes informatiques adaptés (grand écran, clavier gros caractères).",
        "Arrêt « Hôtel de Ville ».",
    ),
    "psy-gymnase": (
        "Gymnase intercommunal",
        "pont-sur-yonne",
        "Avenue des Sports",
        True,
        "",
        "",
    ),
    "psy-pij": (
        "Point Information Jeunesse",
        "pont-sur-yonne",
        "3 rue de la République",
        False,
        "Deux marches à l'entrée ; accueil possible au rez-de-chaussée de la médiathèque.",
        "Arrêt « Hôtel de Ville ».",
    ),
    "psy-espace-jeunes": (
        "Espace jeunes Le Spot",
        "pont-sur-yonne",
        "Rue du Port",
        True,
        "",
        "",
    ),
    "psy-mairie": (
        "Mairie de Pont-sur-Yonne",
        "pont-sur-yonne",
        "Place de l'Hôtel de Ville",
        True,
        "Accès fauteuil par la cour arrière.",
        "Arrêt « Hôtel de Ville ».",
    ),
    "psy-maison-familles": (
        "Maison des familles",
        "pont-sur-yonne",
        "7 rue du Pont",
        True,
        "",
        "",
    ),
    "psy-epicerie": (
        "Épicerie solidaire",
        "pont-sur-yonne",
        "22 rue du Faubourg",
        True,
        "",
        "",
    ),
    "psy-mobilite": (
        "Garage solidaire et plateforme mobilité",
        "pont-sur-yonne",
        "Rue de l'Industrie",
        True,
        "",
        "",
    ),
    "psy-sante": (
        "Maison de santé",
        "pont-sur-yonne",
        "Route de Sens",
        True,
        "Parking réservé aux personnes handicapées devant l'entrée.",
        "",
    ),
    "psy-cmp": (
        "Centre médico-psychologique",
        "pont-sur-yonne",
        "15 rue du Pont",
        False,
        "Bureaux à l'étage sans ascenseur : rendez-vous possible au centre médico-social.",
        "",
    ),
    "vlg-petite-enfance": (
        "Pôle petite enfance",
        "villeneuve-la-guyard",
        "2 rue du Stade",
        True,
        "",
        "",
    ),
    "vlg-mairie": (
        "Mairie de Villeneuve-la-Guyard",
        "villeneuve-la-guyard",
        "1 place de la Mairie",
        True,
        "",
        "Gare SNCF de Villeneuve-la-Guyard à 5 minutes à pied.",
    ),
    "vlg-associations": (
        "Maison des associations",
        "villeneuve-la-guyard",
        "4 place de la Mairie",
        True,
        "",
        "",
    ),
    "vlg-ecole": (
        "École élémentaire",
        "villeneuve-la-guyard",
        "Rue de l'École",
        True,
        "",
        "",
    ),
    "vlg-alsh": (
        "Accueil de loisirs La Ruche",
        "villeneuve-la-guyard",
        "Route de Champigny",
        True,
        "",
        "",
    ),
    "vlg-espace-jeunes": (
        "Espace jeunes",
        "villeneuve-la-guyard",
        "6 route de Champigny",
        True,
        "",
        "",
    ),
    "vlg-france-services": (
        "Antenne France Services",
        "villeneuve-la-guyard",
        "1 place de la Mairie",
        True,
        "",
        "Gare SNCF de Villeneuve-la-Guyard à 5 minutes à pied.",
    ),
    "sergines-creche": (
        "Micro-crèche Les Coquelicots",
        "sergines",
        "8 Grande Rue",
        True,
        "",
        "",
    ),
    "sergines-ecole": ("École de Sergines", "sergines", "Rue de l'Église", True, "", ""),
    "sergines-salle": (
        "Salle polyvalente",
        "sergines",
        "Rue des Tilleuls",
        True,
        "",
        "",
    ),
    "sergines-mairie": ("Mairie de Sergines", "sergines", "Grande Rue", True, "", ""),
    "champigny-jardins": (
        "Jardins d'insertion",
        "champigny",
        "Chemin des Prés",
        False,
        "Terrain en extérieur, chemins en herbe.",
        "",
    ),
    "champigny-salle": ("Salle des fêtes", "champigny", "Rue de la Mairie", True, "", ""),
    "vinneuf-mairie": ("Parking de la mairie", "vinneuf", "Place de la Mairie", True, "", ""),
    "courlon-place": (
        "Place du marché",
        "courlon-sur-yonne",
        "Place du Marché",
        True,
        "",
        "",
    ),
    "saint-serotin-salle": (
        "Salle des fêtes",
        "saint-serotin",
        "Rue Principale",
        True,
        "",
        "",
    ),
    "cuy-mairie": ("Place de la mairie", "cuy", "Place de la Mairie", True, "", ""),
    "gisy-place": ("Place de l'église", "gisy-les-nobles", "Place de l'Église", True, "", ""),
    "serbonnes-mairie": ("Mairie de Serbonnes", "serbonnes", "Rue de la Mairie", True, "", ""),
    "villemanoche-salle": (
        "Salle communale",
        "villemanoche",
        "Rue Grande",
        True,
        "",
        "",
    ),
    "evry-mairie": ("Mairie d'Évry", "evry", "Rue de la Mairie", True, "", ""),
    "michery-salle": ("Salle polyvalente", "michery", "Rue des Écoles", True, "", ""),
    "chaumont-salle": ("Salle des fêtes", "chaumont", "Rue de l'Église", True, "", ""),
    "villeblevin-salle": (
        "Salle des fêtes",
        "villeblevin",
        "Rue de la Mairie",
        True,
        "",
        "Gare SNCF de Villeneuve-la-Guyard à 3 km.",
    ),
}

# Usual weekly hours, OSM `opening_hours` syntax.
OFFICE = "Mo-Fr 09:00-12:00,13:30-17:00; PH off"
CRECHE = "Mo-Fr 07:30-18:30; PH off"

# Services. Fields map onto Service; the loader fills the usual defaults:
# cost "free", on_site True, languages ["fr"], serves the whole territory, verified
# 30 days ago. `places` are (place key, OSM hours, hours notes). `verified` and notice
# dates are days relative to today.
SERVICES = [
    # --- Petite Enfance -------------------------------------------------------------
    {
        "slug": "multi-accueil-les-petits-mousses",
        "partner": "ccyn-petite-enfance",
        "name": "Multi-accueil Les Petits Mousses",
        "sectors": ["petite-enfance"],
        "needs": ["faire-garder-mon-enfant"],
        "summary": "Une crèche de 30 places pour les enfants de 10 semaines à 4 ans.",
        "what_we_do": (
            "Nous accueillons les tout-petits en journée, à temps plein, à temps partiel "
            "ou quelques heures (halte-garderie), avec une équipe d'auxiliaires de "
            "puériculture et d'éducatrices de jeunes enfants. Les repas et les couches "
            "sont fournis."
        ),
        "what_we_dont_do": (
            "Nous n'attribuons pas les places nous-mêmes : la commission d'attribution se "
            "réunit trois fois par an. Pour une garde en urgence ou chez une assistante "
            "maternelle, adressez-vous au Relais Petite Enfance."
        ),
        "audience": "Les familles du territoire avec un enfant de moins de 4 ans.",
        "age_min": 0,
        "age_max": 3,
        "access_conditions": (
            "Préinscription au Relais Petite Enfance dès le 6e mois de grossesse. "
            "Places attribuées en commission."
        ),
        "cost": "income",
        "cost_details": "Tarif horaire selon le barème de la CAF (quotient familial).",
        "documents": [
            "Livret de famille ou acte de naissance de l'enfant",
            "Numéro d'allocataire CAF ou dernier avis d'imposition",
            "Carnet de santé (vaccinations)",
            "Justificatif de domicile de moins de 3 mois",
        ],
        "phone": "03 53 73 10 21",
        "email": "petits-mousses@ccyn.example.org",
        "places": [("psy-petite-enfance", CRECHE, "")],
        "verified": 45,
    },
    {
        "slug": "multi-accueil-les-lucioles",
        "partner": "ccyn-petite-enfance",
        "name": "Multi-accueil Les Lucioles",
        "sectors": ["petite-enfance"],
        "needs": ["faire-garder-mon-enfant"],
        "summary": "Une crèche de 24 places ouverte jusqu'à 19 h, près de la gare.",
        "what_we_do": (
            "Accueil régulier ou occasionnel des enfants de 10 semaines à 4 ans. Horaires "
            "élargis pour les parents qui travaillent en Île-de-France et prennent le train."
        ),
        "what_we_dont_do": (
            "Nous n'accueillons pas les enfants malades avec fièvre. Pour une garde tôt le "
            "matin ou le samedi, le Relais Petite Enfance vous indique les assistantes "
            "maternelles disponibles."
        ),
        "audience": "Les familles du territoire avec un enfant de moins de 4 ans.",
        "age_min": 0,
        "age_max": 3,
        "access_conditions": "Préinscription au Relais Petite Enfance, attribution en commission.",
        "cost": "income",
        "cost_details": "Tarif horaire selon le barème de la CAF (quotient familial).",
        "documents": [
            "Livret de famille ou acte de naissance de l'enfant",
            "Numéro d'allocataire CAF",
            "Carnet de santé (vaccinations)",
        ],
        "phone": "03 53 73 10 22",
        "email": "lucioles@ccyn.example.org",
        "places": [("vlg-petite-enfance", "Mo-Fr 07:00-19:00; PH off", "")],
        "notice": {
            "title": "Fermeture pour travaux",
            "text": (
                "Le multi-accueil est fermé pour des travaux de rénovation. Les enfants "
                "inscrits sont accueillis aux Petits Mousses à Pont-sur-Yonne."
            ),
            "closure": True,
            "start": -2,
            "end": 12,
        },
        "verified": 20,
    },
    {
        "slug": "micro-creche-les-coquelicots",
        "partner": "ccyn-petite-enfance",
        "name": "Micro-crèche Les Coquelicots",
        "sectors": ["petite-enfance"],
        "needs": ["faire-garder-mon-enfant"],
        "summary": "Une petite crèche de 10 places à Sergines, ouverte de 7 h à 19 h.",
        "what_we_do": (
            "Un accueil en petit groupe, proche de la maison, pour les enfants de "
            "10 semaines à 4 ans des communes de l'est du territoire."
        ),
        "what_we_dont_do": (
            "Nous ne proposons pas d'accueil le week-end. Pour un accueil en horaires "
            "atypiques, demandez au Relais Petite Enfance."
        ),
        "audience": "Familles de Sergines, Serbonnes, Michery, Gisy-les-Nobles et Courlon.",
        "age_min": 0,
        "age_max": 3,
        "access_conditions": "Préinscription au Relais Petite Enfance.",
        "cost": "income",
        "cost_details": "Barème CAF, repas compris.",
        "documents": [
            "Livret de famille",
            "Numéro d'allocataire CAF",
            "Carnet de santé",
        ],
        "phone": "03 53 73 10 23",
        "email": "coquelicots@ccyn.example.org",
        "serves": ["sergines", "serbonnes", "michery", "gisy-les-nobles", "courlon-sur-yonne"],
        "places": [("sergines-creche", "Mo-Fr 07:00-19:00; PH off", "")],
        "verified": 250,
    },
    {
        "slug": "halte-garderie-itinerante",
        "partner": "ccyn-petite-enfance",
        "name": "Halte-garderie itinérante Les P'tits Baladins",
        "sectors": ["petite-enfance"],
        "needs": ["faire-garder-mon-enfant", "eveil-tout-petit"],
        "summary": "Une crèche qui s'installe chaque semaine dans les villages sans crèche.",
        "what_we_do": (
            "Une équipe et son camion aménagent une salle communale pour accueillir les "
            "tout-petits à la journée ou à la demi-journée : jeux, éveil, premiers pas en "
            "collectivité. Pratique pour un rendez-vous, une formation ou souffler."
        ),
        "what_we_dont_do": (
            "Ce n'est pas un accueil à temps plein : pour une garde tous les jours, "
            "voyez le Relais Petite Enfance."
        ),
        "audience": "Les familles des villages, enfants de 3 mois à 4 ans.",
        "age_min": 0,
        "age_max": 3,
        "access_conditions": "Réservation la semaine précédente par téléphone.",
        "cost": "income",
        "cost_details": (
            "Barème CAF à l'heure ; la première demi-journée d'adaptation est offerte."
        ),
        "documents": ["Carnet de santé", "Numéro d'allocataire CAF"],
        "phone": "03 53 73 10 24",
        "email": "baladins@ccyn.example.org",
        "itinerant": True,
        "on_site": False,
        "places": [
            ("vinneuf-mairie", "Tu 08:30-17:00; PH off", "Salle des fêtes"),
            ("courlon-place", "Th 08:30-17:00; PH off", "Salle polyvalente"),
        ],
        "stops": [
            {
                "place": "vinneuf-mairie",
                "schedule": "Tu 08:30-17:00",
                "label": "chaque mardi, de 8 h 30 à 17 h",
            },
            {
                "place": "courlon-place",
                "schedule": "Th 08:30-17:00",
                "label": "chaque jeudi, de 8 h 30 à 17 h",
            },
        ],
        "verified": 60,
    },
    {
        "slug": "relais-petite-enfance",
        "partner": "ccyn-petite-enfance",
        "name": "Relais Petite Enfance (RPE) Yonne Nord",
        "sectors": ["petite-enfance"],
        "needs": ["faire-garder-mon-enfant", "eveil-tout-petit"],
        "summary": (
            "Le guichet unique pour faire garder son enfant : crèches, assistantes "
            "maternelles, aides de la CAF."
        ),
        "what_we_do": (
            "Nous présentons tous les modes de garde, donnons la liste des assistantes "
            "maternelles disponibles, aidons à faire le contrat et la déclaration Pajemploi, "
            "et enregistrons les demandes de place en crèche. Les assistantes maternelles y "
            "trouvent des temps collectifs d'éveil avec les enfants."
        ),
        "what_we_dont_do": (
            "Nous ne sommes pas employeurs des assistantes maternelles et ne choisissons "
            "pas à votre place. Pour un conflit avec une assistante maternelle, nous vous "
            "informons mais le litige relève du conseil de prud'hommes."
        ),
        "audience": "Parents, futurs parents, assistantes maternelles et gardes à domicile.",
        "age_min": 0,
        "age_max": 5,
        "access_conditions": "Sans condition, gratuit. Rendez-vous conseillé pour le contrat.",
        "documents": ["Pour une préinscription en crèche : numéro d'allocataire CAF"],
        "phone": "03 53 73 10 25",
        "email": "rpe@ccyn.example.org",
        "walk_in": True,
        "collective": True,
        "collective_details": (
            "Ateliers d'éveil pour les assistantes maternelles et les enfants, le mardi et "
            "le jeudi matin dans les salles communales."
        ),
        "places": [
            (
                "psy-petite-enfance",
                "Mo,Tu,Th 13:30-17:30; We 09:00-12:00; Sa[1] 09:00-12:00; PH off",
                "Le 1er samedi du mois pour les parents qui travaillent.",
            ),
            ("vlg-associations", "Tu,Th 09:00-11:30; PH off", "Ateliers d'éveil"),
        ],
        "verified": 15,
    },
    {
        "slug": "laep-la-cabane",
        "partner": "ccyn-petite-enfance",
        "name": "Lieu d'accueil enfants-parents La Cabane",
        "sectors": ["petite-enfance", "parentalite"],
        "needs": ["eveil-tout-petit", "soutien-parentalite"],
        "summary": "Un lieu pour jouer avec son enfant de moins de 6 ans et parler entre parents.",
        "what_we_do": (
            "Venez quand vous voulez, sans inscription et sans donner votre nom, avec votre "
            "enfant. Deux accueillantes formées sont là pour échanger, sans jugement. "
            "Les enfants jouent et découvrent les autres."
        ),
        "what_we_dont_do": (
            "Ce n'est pas un lieu de garde : l'enfant reste avec son parent. Pour un suivi "
            "de santé, voyez la PMI ; pour une difficulté importante, le service social."
        ),
        "audience": "Enfants de moins de 6 ans avec un parent, un grand-parent, une future maman.",
        "age_min": 0,
        "age_max": 5,
        "access_conditions": "Gratuit, anonyme, sans inscription.",
        "walk_in": True,
        "collective": True,
        "collective_details": "Accueil collectif, on arrive et on repart quand on veut.",
        "languages": ["fr", "en", "ar"],
        "places": [("psy-petite-enfance", "Tu 09:00-11:30; Sa 09:30-12:00; PH off", "")],
        "verified": 35,
    },
    {
        "slug": "bebes-lecteurs",
        "partner": "mediatheque-intercommunale",
        "name": "Bébés lecteurs",
        "sectors": ["petite-enfance"],
        "needs": ["eveil-tout-petit", "activites-sport-culture"],
        "summary": "Histoires, comptines et livres pour les tout-petits, le mercredi matin.",
        "what_we_do": (
            "Une bibliothécaire lit des histoires et chante des comptines avec les "
            "enfants de moins de 3 ans et leurs parents ou leur assistante maternelle."
        ),
        "what_we_dont_do": "Ce n'est pas un mode de garde : l'enfant est accompagné d'un adulte.",
        "audience": "Enfants de moins de 3 ans accompagnés d'un adulte.",
        "age_min": 0,
        "age_max": 3,
        "access_conditions": "Gratuit, sans inscription.",
        "walk_in": True,
        "collective": True,
        "collective_details": "Séances de 30 minutes, 10 enfants au plus.",
        "places": [("psy-mediatheque", "We 10:00-10:45; PH off", "")],
        "verified": 80,
    },
    {
        "slug": "pmi-consultations-nourrisson",
        "partner": "departement-yonne-solidarites",
        "name": "Consultations PMI du nourrisson",
        "sectors": ["petite-enfance"],
        "needs": ["suivi-sante-bebe"],
        "summary": (
            "Un médecin et une puéricultrice suivent gratuitement la santé de votre enfant."
        ),
        "what_we_do": (
            "Pesée, mesures, vaccins, dépistages, conseils sur l'alimentation, le sommeil "
            "et l'allaitement, bilan de santé des enfants de 4 ans à l'école."
        ),
        "what_we_dont_do": (
            "Nous ne soignons pas les enfants malades : pour une fièvre ou une maladie, "
            "allez chez votre médecin ou à la maison de santé."
        ),
        "audience": "Enfants de moins de 6 ans et leurs parents.",
        "age_min": 0,
        "age_max": 5,
        "access_conditions": "Gratuit, sur rendez-vous, même sans carte Vitale.",
        "documents": ["Carnet de santé de l'enfant"],
        "phone": "03 53 73 20 11",
        "email": "pmi-pont@yonne-demo.example.org",
        "languages": ["fr", "en", "ar", "tr"],
        "places": [("psy-cms", "Tu 09:00-12:00,13:30-16:30; PH off", "Sur rendez-vous")],
        "verified": 40,
    },
    {
        "slug": "pmi-consultations-villeneuve",
        "partner": "departement-yonne-solidarites",
        "name": "Consultations PMI à Villeneuve-la-Guyard",
        "sectors": ["petite-enfance"],
        "needs": ["suivi-sante-bebe"],
        "summary": "Consultations gratuites des tout-petits deux vendredis par mois.",
        "what_we_do": "Pesée, vaccins et conseils de la puéricultrice et du médecin de PMI.",
        "what_we_dont_do": "Pas de soins pour un enfant malade : voyez votre médecin.",
        "audience": "Enfants de moins de 6 ans et leurs parents.",
        "age_min": 0,
        "age_max": 5,
        "access_conditions": "Gratuit, sur rendez-vous au centre médico-social.",
        "documents": ["Carnet de santé de l'enfant"],
        "phone": "03 53 73 20 11",
        "places": [
            ("vlg-petite-enfance", "Fr[2,4] 09:00-12:00; PH off", "2e et 4e vendredis du mois")
        ],
        "verified": 220,
    },
    {
        "slug": "pmi-sage-femme",
        "partner": "departement-yonne-solidarites",
        "name": "Sage-femme de PMI : grossesse et retour à la maison",
        "sectors": ["petite-enfance", "parentalite"],
        "needs": ["grossesse-naissance"],
        "summary": (
            "Suivi de grossesse gratuit, préparation à la naissance et visites après "
            "l'accouchement."
        ),
        "what_we_do": (
            "La sage-femme fait les consultations de grossesse, l'entretien prénatal, "
            "aide pour les démarches (déclaration de grossesse, CAF) et vient à domicile "
            "après la naissance si besoin."
        ),
        "what_we_dont_do": (
            "Nous ne faisons pas les accouchements ni les échographies : la maternité de "
            "Sens les assure. Pour une urgence, appelez le 15."
        ),
        "audience": "Femmes enceintes et jeunes mères.",
        "age_of": "person",
        "access_conditions": "Gratuit, sur rendez-vous, avec ou sans couverture sociale.",
        "documents": ["Carte Vitale si vous en avez une", "Résultats d'examens déjà faits"],
        "phone": "03 53 73 20 12",
        "remote": True,
        "languages": ["fr", "en", "ar"],
        "places": [("psy-cms", "Th 09:00-12:00,13:30-17:00; PH off", "Sur rendez-vous")],
        "verified": 25,
    },
    {
        "slug": "pmi-puericultrice-domicile",
        "partner": "departement-yonne-solidarites",
        "name": "Visites de la puéricultrice à domicile",
        "sectors": ["petite-enfance", "parentalite"],
        "needs": ["suivi-sante-bebe", "grossesse-naissance", "soutien-parentalite"],
        "summary": (
            "Une puéricultrice vient chez vous après la naissance pour répondre à vos questions."
        ),
        "what_we_do": (
            "Allaitement, sommeil, pleurs, fatigue des parents : la puéricultrice de PMI "
            "vous rend visite à la maison, gratuitement, pendant les premiers mois."
        ),
        "what_we_dont_do": "Ce n'est pas une aide ménagère ni une garde d'enfant.",
        "audience": "Parents d'un bébé de moins d'un an.",
        "age_min": 0,
        "age_max": 1,
        "access_conditions": "Sur simple appel au centre médico-social.",
        "phone": "03 53 73 20 11",
        "on_site": False,
        "remote": True,
        "places": [("psy-cms", "", "Visites à domicile sur rendez-vous")],
        "verified": 100,
    },
    # --- Enfance ------------------------------------------------------------------
    {
        "slug": "periscolaire-pont-sur-yonne",
        "partner": "mairie-pont-sur-yonne",
        "name": "Accueil périscolaire de Pont-sur-Yonne",
        "sectors": ["enfance"],
        "needs": ["accueil-avant-apres-ecole"],
        "summary": (
            "Garderie avant et après l'école, de 7 h à 18 h 45, pour les écoles de Pont-sur-Yonne."
        ),
        "what_we_do": (
            "Les animateurs accueillent les enfants de maternelle et d'élémentaire le matin "
            "et le soir, avec un goûter et un temps calme pour les devoirs."
        ),
        "what_we_dont_do": (
            "Le mercredi, l'accueil se fait au centre de loisirs Les Castors. L'aide aux "
            "devoirs approfondie est proposée par l'association Lire et Dire."
        ),
        "audience": "Enfants scolarisés dans les écoles de Pont-sur-Yonne.",
        "age_min": 3,
        "age_max": 11,
        "access_conditions": "Inscription annuelle en mairie, réservation sur le portail famille.",
        "cost": "income",
        "cost_details": "De 0,80 € à 2,40 € la séance selon le quotient familial.",
        "documents": [
            "Fiche sanitaire",
            "Attestation d'assurance scolaire",
            "Quotient familial CAF",
        ],
        "phone": "03 53 73 30 01",
        "email": "periscolaire@pont-sur-yonne-demo.example.org",
        "serves": ["pont-sur-yonne"],
        "places": [
            (
                "psy-ecole",
                "Mo,Tu,Th,Fr 07:00-08:30,16:30-18:45; PH off",
                "Pendant les périodes scolaires",
            )
        ],
        "verified": 50,
    },
    {
        "slug": "periscolaire-villeneuve-la-guyard",
        "partner": "mairie-villeneuve-la-guyard",
        "name": "Accueil périscolaire de Villeneuve-la-Guyard",
        "sectors": ["enfance"],
        "needs": ["accueil-avant-apres-ecole"],
        "summary": (
            "Garderie du matin et du soir et pause de midi pour les écoles de Villeneuve-la-"
            "Guyard."
        ),
        "what_we_do": (
            "Accueil des enfants de 7 h 15 à 8 h 35 et de 16 h 30 à 18 h 30, restauration "
            "scolaire et animation pendant la pause de midi."
        ),
        "what_we_dont_do": "Pas d'accueil le mercredi : voyez l'accueil de loisirs La Ruche.",
        "audience": "Enfants scolarisés à Villeneuve-la-Guyard.",
        "age_min": 3,
        "age_max": 11,
        "access_conditions": "Inscription en mairie avant la rentrée.",
        "cost": "income",
        "cost_details": "Tarif selon le quotient familial ; repas de 2 € à 4,20 €.",
        "documents": ["Fiche sanitaire", "Attestation d'assurance", "Quotient familial CAF"],
        "phone": "03 53 73 30 11",
        "serves": ["villeneuve-la-guyard"],
        "places": [
            (
                "vlg-ecole",
                "Mo,Tu,Th,Fr 07:15-08:35,11:45-13:35,16:30-18:30; PH off",
                "Pendant les périodes scolaires",
            )
        ],
        "verified": 70,
    },
    {
        "slug": "periscolaire-sergines",
        "partner": "mairie-sergines",
        "name": "Accueil périscolaire du regroupement de Sergines",
        "sectors": ["enfance"],
        "needs": ["accueil-avant-apres-ecole"],
        "summary": "Garderie et cantine pour les enfants du regroupement scolaire de Sergines.",
        "what_we_do": "Accueil du matin, cantine et accueil du soir jusqu'à 18 h 30.",
        "what_we_dont_do": "Pas de transport entre les villages en dehors du car scolaire.",
        "audience": "Enfants scolarisés à Sergines, Serbonnes et Gisy-les-Nobles.",
        "age_min": 3,
        "age_max": 11,
        "access_conditions": "Inscription en mairie de Sergines.",
        "cost": "income",
        "cost_details": "Tarif selon le quotient familial.",
        "documents": ["Fiche sanitaire", "Attestation d'assurance"],
        "phone": "03 53 73 30 21",
        "serves": ["sergines", "serbonnes", "gisy-les-nobles"],
        "places": [("sergines-ecole", "Mo,Tu,Th,Fr 07:30-08:45,16:30-18:30; PH off", "")],
        "verified": 300,
    },
    {
        "slug": "alsh-les-castors-mercredis",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Accueil de loisirs Les Castors (mercredis)",
        "sectors": ["enfance"],
        "needs": ["centre-de-loisirs-vacances", "activites-sport-culture"],
        "summary": (
            "Le centre de loisirs du mercredi à Pont-sur-Yonne, à la journée ou la demi-journée."
        ),
        "what_we_do": (
            "Activités manuelles, sport, jeux, sorties nature et culture, repas du midi. "
            "Un ramassage en car passe dans les villages le matin et le soir."
        ),
        "what_we_dont_do": (
            "Nous n'accueillons pas les enfants de moins de 3 ans : voyez le Relais Petite "
            "Enfance. Pour les ados, voyez les espaces jeunes."
        ),
        "audience": "Enfants de 3 à 11 ans du territoire.",
        "age_min": 3,
        "age_max": 11,
        "access_conditions": "Dossier d'inscription annuel, réservation une semaine avant.",
        "cost": "income",
        "cost_details": "De 4 € à 16 € la journée selon le quotient familial, aides CAF déduites.",
        "documents": [
            "Fiche sanitaire",
            "Attestation d'assurance",
            "Quotient familial CAF",
            "Carnet de vaccination",
        ],
        "phone": "03 53 73 10 31",
        "email": "alsh@ccyn.example.org",
        "places": [("psy-alsh", "We 07:30-18:30; PH off", "")],
        "verified": 30,
    },
    {
        "slug": "alsh-la-ruche-vacances",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Accueil de loisirs La Ruche (vacances scolaires)",
        "sectors": ["enfance"],
        "needs": ["centre-de-loisirs-vacances", "activites-sport-culture"],
        "summary": (
            "Le centre de loisirs des vacances à Villeneuve-la-Guyard, avec mini-séjours l'été."
        ),
        "what_we_do": (
            "Pendant les vacances scolaires, accueil à la journée, activités à thème, "
            "sorties et mini-camps de 3 à 5 nuits en juillet."
        ),
        "what_we_dont_do": "Pas d'accueil pendant les jours fériés ni la semaine de Noël.",
        "audience": "Enfants de 3 à 12 ans du territoire.",
        "age_min": 3,
        "age_max": 12,
        "access_conditions": "Inscription à la semaine, un mois avant les vacances.",
        "cost": "income",
        "cost_details": (
            "De 4 € à 16 € la journée selon le quotient familial ; bons vacances CAF acceptés."
        ),
        "documents": ["Fiche sanitaire", "Attestation d'assurance", "Quotient familial CAF"],
        "phone": "03 53 73 10 32",
        "email": "alsh@ccyn.example.org",
        "places": [
            ("vlg-alsh", "Mo-Fr 07:30-18:30; PH off", "Pendant les vacances scolaires seulement")
        ],
        "verified": 90,
    },
    {
        "slug": "alsh-sergines-mercredis",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Accueil de loisirs de Sergines (mercredis)",
        "sectors": ["enfance"],
        "needs": ["centre-de-loisirs-vacances"],
        "summary": "Un centre de loisirs du mercredi pour les enfants de l'est du territoire.",
        "what_we_do": "Accueil à la journée ou à la demi-journée, avec ou sans repas.",
        "what_we_dont_do": (
            "Pas d'accueil pendant les vacances : voyez La Ruche à Villeneuve-la-Guyard."
        ),
        "audience": "Enfants de 3 à 11 ans.",
        "age_min": 3,
        "age_max": 11,
        "access_conditions": "Réservation une semaine avant.",
        "cost": "income",
        "cost_details": "Selon le quotient familial.",
        "documents": ["Fiche sanitaire", "Attestation d'assurance"],
        "phone": "03 53 73 10 33",
        "places": [("sergines-salle", "We 08:00-18:00; PH off", "")],
        "verified": 60,
    },
    {
        "slug": "accompagnement-scolarite-clas",
        "partner": "lire-et-dire",
        "name": "Accompagnement à la scolarité (CLAS)",
        "sectors": ["enfance", "parentalite"],
        "needs": ["aide-aux-devoirs", "soutien-parentalite"],
        "summary": "Aide aux devoirs en petit groupe après la classe, avec les parents associés.",
        "what_we_do": (
            "Des bénévoles et une animatrice aident les enfants à s'organiser, à faire "
            "leurs devoirs et à reprendre confiance. Les parents sont invités à un temps "
            "d'échange chaque mois."
        ),
        "what_we_dont_do": (
            "Ce ne sont pas des cours particuliers. Pour un trouble des apprentissages "
            "(dyslexie…), parlez-en au médecin scolaire ou au CMP."
        ),
        "audience": "Élèves du CP à la 3e.",
        "age_min": 6,
        "age_max": 15,
        "access_conditions": (
            "Inscription avec un parent, sur proposition de l'école ou à votre demande."
        ),
        "cost": "paid",
        "cost_details": "Adhésion de 10 € par an et par famille.",
        "phone": "03 53 73 40 21",
        "email": "clas@lire-et-dire.example.org",
        "collective": True,
        "collective_details": "Groupes de 6 enfants au plus.",
        "places": [
            ("psy-mediatheque", "Tu,Th 16:45-18:15; PH off", "Pendant les périodes scolaires")
        ],
        "verified": 120,
    },
    {
        "slug": "mediatheque-intercommunale",
        "partner": "mediatheque-intercommunale",
        "name": "Médiathèque intercommunale",
        "sectors": ["enfance", "jeunesse", "numerique"],
        "needs": ["activites-sport-culture", "aide-numerique"],
        "summary": (
            "Livres, jeux vidéo, ordinateurs et animations, gratuits pour les moins de 18 ans."
        ),
        "what_we_do": (
            "Prêt de livres, BD, films et jeux, ordinateurs et wifi en accès libre, "
            "heures du conte, ateliers jeux vidéo et club lecture ados."
        ),
        "what_we_dont_do": (
            "Nous ne faisons pas vos démarches en ligne à votre place : le conseiller "
            "numérique vous aide sur rendez-vous."
        ),
        "audience": "Tout le monde.",
        "access_conditions": "Entrée libre ; carte gratuite pour emprunter.",
        "cost": "paid",
        "cost_details": (
            "Gratuit pour les moins de 18 ans et les demandeurs d'emploi ; 8 € par an pour les "
            "adultes."
        ),
        "documents": ["Pour la carte : justificatif de domicile"],
        "phone": "03 53 73 10 50",
        "email": "mediatheque@ccyn.example.org",
        "walk_in": True,
        "places": [
            (
                "psy-mediatheque",
                "Tu,Fr 14:00-18:30; We 10:00-12:00,14:00-18:00; Sa 10:00-12:30; PH off",
                "",
            )
        ],
        "verified": 10,
    },
    {
        "slug": "ecole-multisports",
        "partner": "ccyn-enfance-jeunesse",
        "name": "École multisports intercommunale",
        "sectors": ["enfance"],
        "needs": ["activites-sport-culture"],
        "summary": "Découvrir un sport différent chaque mois, le mercredi après-midi.",
        "what_we_do": (
            "Un éducateur sportif fait découvrir judo, handball, athlétisme, tennis de table…"
        ),
        "what_we_dont_do": "Pas de compétition : pour cela, inscrivez votre enfant dans un club.",
        "audience": "Enfants de 5 à 11 ans.",
        "age_min": 5,
        "age_max": 11,
        "access_conditions": "Inscription à l'année, certificat médical non obligatoire.",
        "cost": "paid",
        "cost_details": "45 € l'année ; Pass'Sport accepté.",
        "documents": ["Attestation d'assurance"],
        "phone": "03 53 73 10 34",
        "collective": True,
        "collective_details": "Groupes par âge de 12 enfants.",
        "places": [("psy-gymnase", "We 14:00-16:00; PH off", "")],
        "verified": 150,
    },
    # --- Jeunesse -------------------------------------------------------------------
    {
        "slug": "point-information-jeunesse",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Point Information Jeunesse (PIJ)",
        "sectors": ["jeunesse"],
        "needs": ["information-jeunesse", "logement", "mobilite-permis"],
        "summary": (
            "Toutes les infos pour les jeunes : études, job d'été, BAFA, logement, partir à "
            "l'étranger."
        ),
        "what_we_do": (
            "Un informateur jeunesse vous reçoit avec ou sans rendez-vous : orientation, "
            "Parcoursup, CV pour un job d'été, BAFA, service civique, aides au permis, "
            "premier logement. Ordinateurs en accès libre."
        ),
        "what_we_dont_do": (
            "Nous ne suivons pas les jeunes dans la durée pour l'emploi : après 16 ans et "
            "hors études, la Mission Locale le fait."
        ),
        "audience": "Jeunes de 11 à 25 ans et leurs parents.",
        "age_of": "person",
        "age_min": 11,
        "age_max": 25,
        "access_conditions": "Gratuit, anonyme si vous le souhaitez.",
        "phone": "03 53 73 10 35",
        "email": "pij@ccyn.example.org",
        "walk_in": True,
        "remote": True,
        "languages": ["fr", "en", "es"],
        "places": [("psy-pij", "Tu-Fr 13:30-18:00; We 10:00-12:00; Sa 10:00-12:00; PH off", "")],
        "notice": {
            "title": "Horaires réduits pendant les vacances",
            "text": "Pendant les vacances scolaires, le PIJ ouvre seulement l'après-midi.",
            "closure": False,
            "start": -1,
            "end": 20,
        },
        "verified": 12,
    },
    {
        "slug": "espace-jeunes-villeneuve",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Espace jeunes de Villeneuve-la-Guyard",
        "sectors": ["jeunesse"],
        "needs": ["espace-jeunes", "activites-sport-culture"],
        "summary": "Un lieu pour les 11-17 ans : jeux, projets, sorties et séjours.",
        "what_we_do": (
            "Deux animateurs accueillent les ados, les aident à monter leurs projets "
            "(séjour, concert, chantier) et organisent des sorties pendant les vacances."
        ),
        "what_we_dont_do": (
            "Ce n'est pas une garderie : les jeunes viennent et repartent librement."
        ),
        "audience": "Jeunes de 11 à 17 ans.",
        "age_of": "person",
        "age_min": 11,
        "age_max": 17,
        "access_conditions": "Adhésion annuelle avec autorisation parentale.",
        "cost": "paid",
        "cost_details": "Adhésion de 5 € par an ; sorties selon le quotient familial.",
        "documents": ["Autorisation parentale", "Fiche sanitaire"],
        "phone": "03 53 73 10 36",
        "walk_in": True,
        "places": [
            ("vlg-espace-jeunes", "We 14:00-19:00; Fr 17:00-20:00; Sa 14:00-18:00; PH off", "")
        ],
        "verified": 45,
    },
    {
        "slug": "espace-jeunes-le-spot",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Espace jeunes Le Spot",
        "sectors": ["jeunesse"],
        "needs": ["espace-jeunes"],
        "summary": "L'espace jeunes de Pont-sur-Yonne, ouvert le mercredi et le samedi.",
        "what_we_do": "Accueil libre, jeux, musique, ateliers, aide aux projets de jeunes.",
        "what_we_dont_do": "Pas d'accueil des moins de 11 ans : voyez l'accueil de loisirs.",
        "audience": "Jeunes de 11 à 17 ans.",
        "age_of": "person",
        "age_min": 11,
        "age_max": 17,
        "access_conditions": "Adhésion annuelle avec autorisation parentale.",
        "cost": "paid",
        "cost_details": "Adhésion de 5 € par an.",
        "documents": ["Autorisation parentale"],
        "phone": "03 53 73 10 37",
        "walk_in": True,
        "places": [("psy-espace-jeunes", "We 13:30-18:30; Sa 14:00-18:00; PH off", "")],
        "verified": 200,
    },
    {
        "slug": "animation-jeunesse-itinerante",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Le camion jeunes (animation itinérante)",
        "sectors": ["jeunesse"],
        "needs": ["espace-jeunes", "information-jeunesse"],
        "summary": "Les animateurs jeunesse viennent dans les villages avec leur camion.",
        "what_we_do": (
            "Jeux, discussions, infos et projets avec les ados des villages sans espace "
            "jeunes, au même endroit chaque semaine."
        ),
        "what_we_dont_do": "Pas de transport des jeunes vers les espaces jeunes.",
        "audience": "Jeunes de 11 à 17 ans des villages.",
        "age_of": "person",
        "age_min": 11,
        "age_max": 17,
        "access_conditions": "Gratuit, sans inscription.",
        "phone": "03 53 73 10 38",
        "itinerant": True,
        "on_site": False,
        "walk_in": True,
        "places": [
            ("michery-salle", "", ""),
            ("chaumont-salle", "", ""),
            ("villeblevin-salle", "", ""),
        ],
        "stops": [
            {
                "place": "michery-salle",
                "schedule": "We 14:00-17:00",
                "label": "chaque mercredi, de 14 h à 17 h",
            },
            {
                "place": "chaumont-salle",
                "schedule": "Fr 17:00-19:00",
                "label": "chaque vendredi, de 17 h à 19 h",
            },
            {
                "place": "villeblevin-salle",
                "schedule": "Sa[1,3] 14:00-17:00",
                "label": "les 1er et 3e samedis du mois, de 14 h à 17 h",
            },
        ],
        "verified": 55,
    },
    {
        "slug": "paej-ecoute-jeunes",
        "partner": "paej-nord-yonne",
        "name": "Point Accueil Écoute Jeunes (PAEJ)",
        "sectors": ["jeunesse", "sante"],
        "needs": ["sante-des-jeunes", "ecoute-sante-mentale"],
        "summary": "Parler de ce qui ne va pas avec un psychologue, gratuitement et anonymement.",
        "what_we_do": (
            "Mal-être, conflits avec les parents, harcèlement, consommation d'alcool ou de "
            "cannabis, sexualité : un psychologue ou un éducateur vous écoute et vous aide "
            "à trouver des solutions. Les parents peuvent aussi venir."
        ),
        "what_we_dont_do": (
            "Nous ne faisons pas de suivi psychiatrique ni de traitement : nous vous "
            "orientons vers le CMP ou un médecin si besoin. En cas d'urgence, appelez le 3114."
        ),
        "audience": "Jeunes de 12 à 25 ans et leurs parents.",
        "age_of": "person",
        "age_min": 12,
        "age_max": 25,
        "access_conditions": "Gratuit, anonyme, sans autorisation parentale.",
        "phone": "03 53 73 40 61",
        "email": "ecoute@paej-nord-yonne.example.org",
        "walk_in": True,
        "remote": True,
        "places": [
            ("psy-pij", "We 14:00-18:00; Th 16:00-19:00; PH off", "Sans rendez-vous le mercredi")
        ],
        "verified": 75,
    },
    {
        "slug": "argent-de-poche",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Dispositif « Argent de poche »",
        "sectors": ["jeunesse", "insertion-emploi"],
        "needs": ["information-jeunesse", "emploi"],
        "summary": "Des petites missions rémunérées pendant les vacances pour les 14-17 ans.",
        "what_we_do": (
            "Pendant les vacances, les jeunes font des missions de 3 heures dans les "
            "communes (espaces verts, archives, peinture) encadrées par un agent, "
            "payées 15 € la mission."
        ),
        "what_we_dont_do": "Ce n'est pas un emploi : pour un job d'été, voyez le PIJ.",
        "audience": "Jeunes de 14 à 17 ans habitant le territoire.",
        "age_of": "person",
        "age_min": 14,
        "age_max": 17,
        "access_conditions": "Candidature au PIJ avant chaque période de vacances.",
        "documents": ["Autorisation parentale", "Pièce d'identité", "Attestation d'assurance"],
        "phone": "03 53 73 10 35",
        "places": [("psy-pij", "", "Inscriptions au PIJ")],
        "verified": 400,
    },
    # --- Insertion / Emploi ---------------------------------------------------------
    {
        "slug": "mission-locale-pont-sur-yonne",
        "partner": "mission-locale-nord-yonne",
        "name": "Mission Locale : permanence de Pont-sur-Yonne",
        "sectors": ["jeunesse", "insertion-emploi"],
        "needs": ["accompagnement-16-25", "emploi", "formation", "logement", "mobilite-permis"],
        "summary": (
            "Un conseiller pour les 16-25 ans sortis de l'école : emploi, formation, logement, "
            "santé."
        ),
        "what_we_do": (
            "Un conseiller vous suit dans la durée : projet professionnel, formation, "
            "alternance, recherche d'emploi, aides au permis et au logement, santé. "
            "Accès au contrat d'engagement jeune."
        ),
        "what_we_dont_do": (
            "Nous ne suivons pas les jeunes encore scolarisés (voyez le PIJ) ni les plus "
            "de 25 ans (voyez France Travail)."
        ),
        "audience": "Jeunes de 16 à 25 ans qui ne sont plus à l'école.",
        "age_of": "person",
        "age_min": 16,
        "age_max": 25,
        "access_conditions": "Sur rendez-vous ; premier accueil sans rendez-vous le mardi matin.",
        "documents": ["Pièce d'identité", "Carte Vitale", "CV si vous en avez un"],
        "phone": "03 53 73 20 21",
        "email": "pont@ml-nord-yonne.example.org",
        "walk_in": True,
        "languages": ["fr", "en"],
        "places": [("psy-maison-services", "Tu,Th 09:00-12:00,13:30-17:00; PH off", "")],
        "verified": 22,
    },
    {
        "slug": "mission-locale-villeneuve",
        "partner": "mission-locale-nord-yonne",
        "name": "Mission Locale : permanence de Villeneuve-la-Guyard",
        "sectors": ["jeunesse", "insertion-emploi"],
        "needs": ["accompagnement-16-25", "emploi", "formation"],
        "summary": "La Mission Locale reçoit les 16-25 ans le mercredi à Villeneuve-la-Guyard.",
        "what_we_do": "Premier accueil, suivi par un conseiller, ateliers CV et entretien.",
        "what_we_dont_do": "Pas d'accueil des plus de 25 ans : voyez France Travail.",
        "audience": "Jeunes de 16 à 25 ans.",
        "age_of": "person",
        "age_min": 16,
        "age_max": 25,
        "access_conditions": "Sur rendez-vous.",
        "documents": ["Pièce d'identité"],
        "phone": "03 53 73 20 22",
        "places": [("vlg-france-services", "We 09:00-12:00,13:30-17:00; PH off", "")],
        "verified": 140,
    },
    {
        "slug": "contrat-engagement-jeune",
        "partner": "mission-locale-nord-yonne",
        "name": "Contrat d'engagement jeune (CEJ)",
        "sectors": ["jeunesse", "insertion-emploi"],
        "needs": ["accompagnement-16-25", "emploi", "formation"],
        "summary": "15 à 20 heures d'accompagnement par semaine et jusqu'à 528 € par mois.",
        "what_we_do": (
            "Un programme intensif de 6 à 12 mois : ateliers, stages, formation, "
            "immersion en entreprise, avec une allocation selon vos ressources."
        ),
        "what_we_dont_do": (
            "Le CEJ n'est pas ouvert aux étudiants ni aux jeunes déjà en formation."
        ),
        "audience": "Jeunes de 16 à 25 ans (29 ans si handicap), sans emploi ni formation.",
        "age_of": "person",
        "age_min": 16,
        "age_max": 29,
        "access_conditions": "Entretien préalable avec un conseiller de la Mission Locale.",
        "documents": ["Pièce d'identité", "RIB", "Avis d'imposition du foyer"],
        "phone": "03 53 73 20 21",
        "collective": True,
        "collective_details": "Ateliers collectifs le lundi à Sens, transport remboursé.",
        "remote": True,
        "places": [("psy-maison-services", "", "Sur rendez-vous pendant les permanences")],
        "verified": 65,
    },
    {
        "slug": "france-travail-rendez-vous",
        "partner": "france-travail-sens",
        "name": "France Travail : rendez-vous à France Services",
        "sectors": ["insertion-emploi"],
        "needs": ["emploi", "formation"],
        "summary": (
            "S'inscrire comme demandeur d'emploi et rencontrer un conseiller France Travail près "
            "de chez vous."
        ),
        "what_we_do": (
            "Inscription, actualisation, allocations chômage, offres d'emploi, "
            "financement de formation : un conseiller vous reçoit sur rendez-vous, "
            "ou vous appelle."
        ),
        "what_we_dont_do": (
            "Nous n'accompagnons pas les démarches CAF ou de santé : les agents de "
            "France Services le font au même endroit."
        ),
        "audience": "Demandeurs d'emploi et personnes qui veulent le devenir, dès 16 ans.",
        "age_of": "person",
        "age_min": 16,
        "access_conditions": "Rendez-vous par téléphone au 3949 ou dans votre espace en ligne.",
        "documents": ["Pièce d'identité", "Carte Vitale", "RIB", "Attestations employeur"],
        "phone": "03 53 73 20 31",
        "appointment_url": "https://www.francetravail.fr",
        "remote": True,
        "places": [
            ("psy-maison-services", "Th 09:00-12:00,13:30-16:30; PH off", "Sur rendez-vous")
        ],
        "verified": 28,
    },
    {
        "slug": "ateliers-emploi",
        "partner": "france-travail-sens",
        "name": "Ateliers emploi : CV, lettre, entretien",
        "sectors": ["insertion-emploi"],
        "needs": ["emploi"],
        "summary": (
            "Des ateliers collectifs pour préparer sa candidature et s'entraîner aux entretiens."
        ),
        "what_we_do": (
            "Ateliers de 2 heures en petit groupe, animés par une conseillère France Travail."
        ),
        "what_we_dont_do": "Pas d'inscription comme demandeur d'emploi pendant l'atelier.",
        "audience": "Toute personne qui cherche un emploi.",
        "age_of": "person",
        "age_min": 16,
        "access_conditions": "Inscription par téléphone ou à l'accueil de France Services.",
        "phone": "03 53 73 20 32",
        "collective": True,
        "collective_details": "8 personnes au plus, un vendredi matin sur deux.",
        "places": [("psy-maison-services", "Fr 09:30-11:30; PH off", "Un vendredi sur deux")],
        "verified": 95,
    },
    {
        "slug": "chantier-insertion-jardins",
        "partner": "jardins-de-l-yonne",
        "name": "Chantier d'insertion en maraîchage",
        "sectors": ["insertion-emploi"],
        "needs": ["emploi", "formation"],
        "summary": (
            "Un contrat de travail de 26 heures par semaine et un accompagnement vers l'emploi."
        ),
        "what_we_do": (
            "Contrat à durée déterminée d'insertion de 4 à 24 mois : travail au jardin, "
            "vente de paniers, formation et accompagnement socioprofessionnel."
        ),
        "what_we_dont_do": (
            "Nous ne recrutons pas directement : il faut être orienté par un conseiller."
        ),
        "audience": (
            "Adultes éloignés de l'emploi (bénéficiaires du RSA, chômeurs de longue durée)."
        ),
        "age_of": "person",
        "age_min": 18,
        "access_conditions": (
            "Orientation par France Travail, la Mission Locale ou le service social."
        ),
        "phone": "03 53 73 40 51",
        "places": [("champigny-jardins", "Mo-Fr 08:00-12:00,13:00-16:00; PH off", "")],
        "verified": 110,
    },
    {
        "slug": "ateliers-francais",
        "partner": "lire-et-dire",
        "name": "Ateliers de français pour adultes",
        "sectors": ["insertion-emploi", "acces-aux-droits"],
        "needs": ["apprendre-le-francais"],
        "summary": (
            "Apprendre ou réapprendre à parler, lire et écrire le français, en petit groupe."
        ),
        "what_we_do": (
            "Ateliers de français oral et écrit pour les personnes étrangères et pour les "
            "personnes qui ont des difficultés à lire, avec des mises en situation de la "
            "vie quotidienne (médecin, école, démarches)."
        ),
        "what_we_dont_do": (
            "Nous ne délivrons pas de diplôme de langue. Pour les cours obligatoires du "
            "contrat d'intégration républicaine, voyez l'OFII."
        ),
        "audience": "Adultes.",
        "age_of": "person",
        "age_min": 16,
        "access_conditions": "Entretien d'évaluation avant l'entrée dans un groupe.",
        "cost": "paid",
        "cost_details": "Adhésion de 10 € par an.",
        "phone": "03 53 73 40 22",
        "collective": True,
        "collective_details": "Groupes de niveau, 2 séances par semaine.",
        "languages": ["fr", "ar", "tr", "pt", "ro", "en", "es"],
        "places": [
            (
                "psy-mediatheque",
                "Mo,Th 14:00-16:00; Tu 18:00-20:00; PH off",
                "Séance du soir pour les personnes qui travaillent",
            )
        ],
        "verified": 130,
    },
    # --- Logement / Mobilité ----------------------------------------------------------
    {
        "slug": "plateforme-mobilite",
        "partner": "mobilite-nord-yonne",
        "name": "Plateforme mobilité : diagnostic et location de scooters",
        "sectors": ["logement-mobilite", "insertion-emploi"],
        "needs": ["mobilite-permis", "emploi"],
        "summary": "Trouver une solution pour se déplacer vers un emploi ou une formation.",
        "what_we_do": (
            "Un conseiller fait le point sur vos trajets, vous aide à financer votre permis, "
            "vous loue un scooter ou une voiture à petit prix et répare votre véhicule au "
            "garage solidaire."
        ),
        "what_we_dont_do": (
            "Nous ne faisons pas de transport de personnes : voyez le transport à la demande."
        ),
        "audience": "Personnes en recherche d'emploi ou en insertion, dès 16 ans.",
        "age_of": "person",
        "age_min": 16,
        "access_conditions": (
            "Orientation par un conseiller (France Travail, Mission Locale, service social)."
        ),
        "cost": "paid",
        "cost_details": "Scooter à partir de 2 € par jour, voiture à partir de 8 € par jour.",
        "documents": [
            "Pièce d'identité",
            "Permis de conduire si vous l'avez",
            "Justificatif de domicile",
        ],
        "phone": "03 53 73 40 41",
        "places": [("psy-mobilite", "Tu,Th 09:00-12:30,13:30-17:00; PH off", "")],
        "verified": 85,
    },
    {
        "slug": "auto-ecole-sociale",
        "partner": "mobilite-nord-yonne",
        "name": "Auto-école sociale",
        "sectors": ["logement-mobilite", "insertion-emploi"],
        "needs": ["mobilite-permis"],
        "summary": "Préparer le code et le permis à son rythme, avec un tarif adapté aux revenus.",
        "what_we_do": (
            "Cours de code en petit groupe et leçons de conduite avec un moniteur patient."
        ),
        "what_we_dont_do": "Pas de permis moto ni poids lourd.",
        "audience": "Personnes en insertion qui ont besoin du permis pour travailler.",
        "age_of": "person",
        "age_min": 17,
        "access_conditions": "Sur orientation après un diagnostic mobilité.",
        "cost": "income",
        "cost_details": (
            "Reste à charge de 50 € à 300 € selon les ressources et les aides mobilisées."
        ),
        "documents": ["Pièce d'identité", "Photo d'identité numérique (code ePhoto)"],
        "phone": "03 53 73 40 42",
        "collective": True,
        "collective_details": "Cours de code collectifs le mercredi et le samedi matin.",
        "places": [("psy-mobilite", "We 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off", "")],
        "verified": 105,
    },
    {
        "slug": "transport-a-la-demande",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Transport à la demande Yonne Nord",
        "sectors": ["logement-mobilite"],
        "needs": ["mobilite-permis"],
        "summary": (
            "Un minibus vient vous chercher chez vous pour aller à Pont-sur-Yonne ou à la gare."
        ),
        "what_we_do": (
            "Réservez la veille par téléphone : le minibus vous prend devant chez vous et "
            "vous dépose au marché, à la maison de santé, à France Services ou à la gare."
        ),
        "what_we_dont_do": "Pas de trajet vers Sens ni le dimanche.",
        "audience": "Tous les habitants du territoire, enfants de moins de 12 ans accompagnés.",
        "access_conditions": "Réservation la veille avant 17 h.",
        "cost": "paid",
        "cost_details": "2 € le trajet, gratuit pour les moins de 12 ans.",
        "phone": "03 53 73 10 60",
        "on_site": False,
        "remote": True,
        "places": [
            (
                "psy-maison-services",
                "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
                "Horaires de réservation par téléphone",
            )
        ],
        "verified": 18,
    },
    {
        "slug": "point-info-logement",
        "partner": "france-services-yonne-nord",
        "name": "Point info logement",
        "sectors": ["logement-mobilite", "acces-aux-droits"],
        "needs": ["logement", "aide-financiere"],
        "summary": (
            "Demande de logement social, impayé de loyer, aides du FSL : une permanence pour s'y "
            "retrouver."
        ),
        "what_we_do": (
            "Nous vous aidons à remplir la demande de logement social, à monter un dossier "
            "FSL (dépôt de garantie, impayé, énergie) et vous orientons si vous risquez "
            "une expulsion."
        ),
        "what_we_dont_do": (
            "Nous n'attribuons pas les logements : ce sont les bailleurs sociaux. Pour un "
            "hébergement d'urgence ce soir, appelez le 115."
        ),
        "audience": "Locataires, futurs locataires et propriétaires occupants.",
        "age_of": "person",
        "age_min": 18,
        "access_conditions": "Sur rendez-vous.",
        "documents": [
            "Pièce d'identité",
            "Avis d'imposition",
            "Bail et quittances",
            "Courriers reçus",
        ],
        "phone": "03 53 73 10 41",
        "places": [("psy-maison-services", "We 09:00-12:00; PH off", "Sur rendez-vous")],
        "verified": 190,
    },
    # --- France Services / Numérique ------------------------------------------------
    {
        "slug": "france-services-pont-sur-yonne",
        "partner": "france-services-yonne-nord",
        "name": "France Services Yonne Nord – Pont-sur-Yonne",
        "sectors": ["france-services", "acces-aux-droits"],
        "needs": [
            "demarches-caf",
            "demarches-administratives",
            "aide-numerique",
            "acces-aux-droits",
            "se-soigner",
        ],
        "summary": (
            "Un seul lieu pour être aidé dans toutes ses démarches : CAF, impôts, santé, papiers,"
            " retraite."
        ),
        "what_we_do": (
            "Deux conseillers vous aident à faire vos démarches en ligne ou sur papier, "
            "prennent rendez-vous pour vous avec les partenaires (CAF, CPAM, France "
            "Travail, impôts, MSA) et vous prêtent un ordinateur, une imprimante et un scanner."
        ),
        "what_we_dont_do": (
            "Nous ne décidons pas à la place des organismes (montant d'une allocation, "
            "dossier accepté ou non). Pour une difficulté sociale lourde, nous vous "
            "orientons vers une assistante sociale."
        ),
        "audience": "Tous les habitants.",
        "age_of": "person",
        "access_conditions": "Gratuit, avec ou sans rendez-vous.",
        "documents": [
            "Pièce d'identité",
            "Identifiants de vos comptes en ligne si vous les avez",
            "Courriers reçus",
        ],
        "phone": "03 53 73 10 40",
        "email": "franceservices@ccyn.example.org",
        "walk_in": True,
        "languages": ["fr", "en", "ar"],
        "places": [
            (
                "psy-maison-services",
                "Mo,Tu,Th 09:00-12:30,13:30-17:30; We 09:00-17:30; "
                "Fr 09:00-12:30,13:30-19:00; Sa 09:00-12:00; PH off",
                "Ouvert sans interruption le mercredi, jusqu'à 19 h le vendredi",
            )
        ],
        "verified": 8,
    },
    {
        "slug": "france-services-villeneuve",
        "partner": "france-services-yonne-nord",
        "name": "France Services Yonne Nord – antenne de Villeneuve-la-Guyard",
        "sectors": ["france-services"],
        "needs": ["demarches-caf", "demarches-administratives", "aide-numerique"],
        "summary": "L'antenne France Services de l'ouest du territoire, ouverte le samedi matin.",
        "what_we_do": "Les mêmes aides qu'à Pont-sur-Yonne, sur rendez-vous de préférence.",
        "what_we_dont_do": (
            "Pas de permanence des partenaires (CAF, CPAM) : elles ont lieu à Pont-sur-Yonne."
        ),
        "audience": "Tous les habitants.",
        "age_of": "person",
        "access_conditions": "Gratuit ; rendez-vous conseillé.",
        "documents": ["Pièce d'identité", "Courriers reçus"],
        "phone": "03 53 73 10 42",
        "walk_in": True,
        "languages": ["fr", "lsf"],
        "places": [
            (
                "vlg-france-services",
                "Tu,Th 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off",
                "Accueil en langue des signes le jeudi sur rendez-vous",
            )
        ],
        "verified": 14,
    },
    {
        "slug": "bus-france-services",
        "partner": "france-services-yonne-nord",
        "name": "Bus France Services Yonne Nord",
        "sectors": ["france-services", "numerique"],
        "needs": [
            "demarches-caf",
            "demarches-administratives",
            "aide-numerique",
            "acces-aux-droits",
        ],
        "summary": (
            "France Services vient dans votre village une fois par mois, avec son bus équipé."
        ),
        "what_we_do": (
            "Un conseiller France Services et parfois le conseiller numérique vous "
            "reçoivent dans le bus (ordinateurs, imprimante, connexion) pour toutes vos "
            "démarches, sans avoir à vous déplacer."
        ),
        "what_we_dont_do": (
            "Pas de rendez-vous avec les partenaires dans le bus : ils ont lieu à Pont-sur-Yonne."
        ),
        "audience": "Habitants des villages.",
        "age_of": "person",
        "access_conditions": "Gratuit, sans rendez-vous.",
        "documents": ["Pièce d'identité", "Courriers reçus"],
        "phone": "03 53 73 10 43",
        "walk_in": True,
        "itinerant": True,
        "on_site": False,
        "places": [
            ("vinneuf-mairie", "", ""),
            ("saint-serotin-salle", "", ""),
            ("cuy-mairie", "", ""),
            ("gisy-place", "", ""),
            ("courlon-place", "", ""),
            ("serbonnes-mairie", "", ""),
            ("villemanoche-salle", "", ""),
        ],
        "stops": [
            {
                "place": "vinneuf-mairie",
                "schedule": "Tu[2] 09:00-12:00",
                "label": "le 2e mardi du mois, de 9 h à 12 h",
            },
            {
                "place": "saint-serotin-salle",
                "schedule": "Tu[4] 14:00-17:00",
                "label": "le 4e mardi du mois, de 14 h à 17 h",
            },
            {
                "place": "cuy-mairie",
                "schedule": "Th[1] 09:00-12:00",
                "label": "le 1er jeudi du mois, de 9 h à 12 h",
            },
            {
                "place": "gisy-place",
                "schedule": "Th[3] 14:00-17:00",
                "label": "le 3e jeudi du mois, de 14 h à 17 h",
            },
            {
                "place": "courlon-place",
                "schedule": "We[2] 09:00-12:00",
                "label": "le 2e mercredi du mois, jour de marché, de 9 h à 12 h",
            },
            {
                "place": "serbonnes-mairie",
                "date": 10,
                "start": "09:30",
                "end": "12:00",
                "notes": "Passage exceptionnel : aide à la déclaration de revenus.",
            },
            {
                "place": "villemanoche-salle",
                "date": 24,
                "start": "14:00",
                "end": "17:00",
                "notes": "Passage exceptionnel avec le conseiller numérique.",
            },
        ],
        "verified": 5,
    },
    {
        "slug": "conseiller-numerique",
        "partner": "france-services-yonne-nord",
        "name": "Conseiller numérique : ateliers et rendez-vous",
        "sectors": ["numerique", "france-services"],
        "needs": ["aide-numerique"],
        "summary": (
            "Apprendre à utiliser un ordinateur, un smartphone, sa messagerie et FranceConnect."
        ),
        "what_we_do": (
            "Ateliers en petit groupe (débuter sur ordinateur, smartphone, sécurité, "
            "mot de passe, photos) et rendez-vous individuels pour devenir autonome."
        ),
        "what_we_dont_do": (
            "Nous ne faisons pas les démarches à votre place : c'est le rôle de l'accueil "
            "France Services. Nous ne réparons pas les ordinateurs."
        ),
        "audience": "Adultes et seniors qui veulent être plus à l'aise avec le numérique.",
        "age_of": "person",
        "age_min": 16,
        "access_conditions": "Gratuit, sur inscription.",
        "documents": ["Votre smartphone ou votre ordinateur portable si vous en avez un"],
        "phone": "03 53 73 10 44",
        "email": "numerique@ccyn.example.org",
        "collective": True,
        "collective_details": "Ateliers de 6 personnes, cycles de 4 séances.",
        "places": [
            ("psy-mediatheque", "Mo 14:00-17:00; Sa 09:30-12:00; PH off", "Ateliers collectifs"),
            ("sergines-mairie", "We 09:00-12:00; PH off", "Rendez-vous individuels"),
        ],
        "verified": 33,
    },
    {
        "slug": "caf-rendez-vous-conseiller",
        "partner": "caf-yonne",
        "name": "CAF de l'Yonne : rendez-vous avec un conseiller",
        "sectors": ["france-services", "acces-aux-droits"],
        "needs": ["demarches-caf", "acces-aux-droits"],
        "summary": "Un conseiller de la CAF étudie votre dossier avec vous, à France Services.",
        "what_we_do": (
            "Calcul de vos droits, dossier bloqué, trop-perçu, changement de situation : "
            "un conseiller de la CAF vous reçoit en visio ou en personne."
        ),
        "what_we_dont_do": (
            "Pour une simple attestation ou une déclaration en ligne, l'accueil France "
            "Services suffit, sans attendre un rendez-vous."
        ),
        "audience": "Allocataires et futurs allocataires.",
        "age_of": "person",
        "access_conditions": "Sur rendez-vous sur caf.fr ou par France Services.",
        "documents": ["Numéro d'allocataire", "Pièce d'identité", "Courriers de la CAF"],
        "phone": "03 53 73 20 01",
        "appointment_url": "https://www.caf.fr",
        "remote": True,
        "places": [
            (
                "psy-maison-services",
                "We 09:00-12:00,13:30-16:00; PH off",
                "Sur rendez-vous uniquement",
            )
        ],
        "verified": 48,
    },
    {
        "slug": "caf-travailleur-social",
        "partner": "caf-yonne",
        "name": "Travailleur social de la CAF",
        "sectors": ["parentalite", "acces-aux-droits"],
        "needs": ["conflit-familial-separation", "logement", "demarches-caf"],
        "summary": (
            "Un accompagnement quand la vie de famille change : séparation, décès, naissance, "
            "impayé de loyer."
        ),
        "what_we_do": (
            "Le travailleur social de la CAF vous aide à faire valoir vos droits, à "
            "réorganiser votre budget et vous met en lien avec la médiation familiale."
        ),
        "what_we_dont_do": "Il ne verse pas d'aide d'urgence : le CCAS de votre commune le fait.",
        "audience": "Allocataires de la CAF qui traversent un changement de situation.",
        "age_of": "person",
        "access_conditions": "La CAF vous contacte ou vous demandez un rendez-vous.",
        "phone": "03 53 73 20 02",
        "remote": True,
        "on_site": False,
        "places": [("psy-maison-services", "", "Rendez-vous à France Services ou à domicile")],
        "verified": 160,
    },
    {
        "slug": "cpam-permanence",
        "partner": "cpam-yonne",
        "name": "Assurance maladie : permanence à France Services",
        "sectors": ["sante", "france-services"],
        "needs": ["se-soigner", "acces-aux-droits"],
        "summary": (
            "Carte Vitale, complémentaire santé solidaire, remboursements : un conseiller de la "
            "CPAM vous reçoit."
        ),
        "what_we_do": (
            "Ouverture de droits, complémentaire santé solidaire, dossier d'arrêt de "
            "travail ou d'invalidité, recherche d'un médecin traitant."
        ),
        "what_we_dont_do": "Pas de consultation médicale : voyez la maison de santé.",
        "audience": "Assurés et personnes sans couverture maladie.",
        "age_of": "person",
        "access_conditions": "Sur rendez-vous par France Services ou au 3646.",
        "documents": ["Carte Vitale", "Pièce d'identité", "Avis d'imposition", "RIB"],
        "phone": "03 53 73 20 41",
        "appointment_url": "https://www.ameli.fr",
        "places": [("psy-maison-services", "Th 13:30-16:30; PH off", "Sur rendez-vous")],
        "verified": 52,
    },
    {
        "slug": "cpam-accompagnement-sante",
        "partner": "cpam-yonne",
        "name": "Mission accompagnement santé",
        "sectors": ["sante", "acces-aux-droits"],
        "needs": ["se-soigner", "acces-aux-droits"],
        "summary": (
            "Pour ceux qui renoncent à se soigner : un conseiller vous aide à trouver des "
            "solutions."
        ),
        "what_we_do": (
            "Un conseiller de l'Assurance maladie vous appelle, fait le point sur vos "
            "droits, vous aide à trouver un médecin, un dentiste, et à financer vos soins."
        ),
        "what_we_dont_do": "Pas d'avance de frais ni de soins.",
        "audience": "Assurés qui renoncent à des soins pour des raisons de coût ou de démarches.",
        "age_of": "person",
        "access_conditions": (
            "Sur orientation d'un professionnel (France Services, CCAS, médecin)."
        ),
        "phone": "03 53 73 20 42",
        "on_site": False,
        "remote": True,
        "places": [("psy-maison-services", "", "Par téléphone")],
        "verified": 230,
    },
    # --- Parentalité ---------------------------------------------------------------
    {
        "slug": "mediation-familiale",
        "partner": "entre-deux-rives",
        "name": "Médiation familiale",
        "sectors": ["parentalite"],
        "needs": ["conflit-familial-separation"],
        "summary": "Un médiateur neutre aide les parents séparés à s'entendre pour leurs enfants.",
        "what_we_do": (
            "Entretien d'information gratuit, puis séances pour organiser la résidence "
            "des enfants, le droit de visite, la pension alimentaire. Les accords peuvent "
            "être homologués par le juge."
        ),
        "what_we_dont_do": (
            "Nous ne prenons parti pour personne et ne donnons pas de conseil juridique : "
            "voyez le Point-justice. En cas de violences, la médiation n'est pas adaptée."
        ),
        "audience": (
            "Parents séparés ou en voie de l'être, grands-parents, jeunes adultes et leurs "
            "parents."
        ),
        "age_of": "person",
        "access_conditions": "Sur rendez-vous ; premier entretien gratuit.",
        "cost": "income",
        "cost_details": (
            "De 2 € à 131 € la séance par personne selon le barème national de la CAF."
        ),
        "documents": ["Dernier avis d'imposition", "Jugement s'il y en a un"],
        "phone": "03 53 73 40 01",
        "email": "mediation@entre-deux-rives.example.org",
        "languages": ["fr", "en", "de"],
        "places": [
            (
                "psy-maison-familles",
                "We 09:00-12:00,13:30-18:30; Sa[1] 09:00-12:00; PH off",
                "Le 1er samedi du mois sur rendez-vous",
            )
        ],
        "verified": 27,
    },
    {
        "slug": "espace-rencontre",
        "partner": "entre-deux-rives",
        "name": "Espace rencontre parents-enfants",
        "sectors": ["parentalite"],
        "needs": ["conflit-familial-separation"],
        "summary": "Un lieu neutre où un enfant peut voir le parent avec qui il ne vit pas.",
        "what_we_do": (
            "Accueil de visites et de passages de bras, encadrés par des professionnels, "
            "pour maintenir le lien entre l'enfant et chacun de ses parents."
        ),
        "what_we_dont_do": "Nous ne rédigeons pas de rapport pour l'un des parents.",
        "audience": (
            "Familles orientées par le juge aux affaires familiales ou venant d'elles-mêmes."
        ),
        "access_conditions": "Entretien préalable avec chaque parent.",
        "cost": "free",
        "phone": "03 53 73 40 02",
        "places": [("psy-maison-familles", "Sa 10:00-12:00,14:00-18:00; PH off", "")],
        "verified": 210,
    },
    {
        "slug": "ateliers-parents",
        "partner": "parents-en-chemin",
        "name": "Ateliers « Parents, on en parle »",
        "sectors": ["parentalite"],
        "needs": ["soutien-parentalite"],
        "summary": "Un soir par mois, des parents échangent sur un thème avec une psychologue.",
        "what_we_do": (
            "Écrans, sommeil, colères, ados, fratrie : un thème par soirée, des astuces "
            "concrètes et un moment entre parents. Garde des enfants possible sur place."
        ),
        "what_we_dont_do": "Ce n'est pas une thérapie : pour un suivi, voyez le CMP ou le PAEJ.",
        "audience": "Tous les parents et grands-parents.",
        "age_of": "person",
        "access_conditions": "Gratuit, inscription conseillée.",
        "phone": "03 53 73 40 11",
        "email": "ateliers@parents-en-chemin.example.org",
        "collective": True,
        "collective_details": "Le 2e mardi du mois, 15 parents au plus.",
        "places": [("vlg-associations", "Tu[2] 18:30-20:30; PH off", "Le 2e mardi du mois")],
        "verified": 38,
    },
    {
        "slug": "cafe-des-parents",
        "partner": "parents-en-chemin",
        "name": "Café des parents",
        "sectors": ["parentalite"],
        "needs": ["soutien-parentalite"],
        "summary": (
            "Un samedi matin par mois, un café entre parents pendant que les enfants jouent."
        ),
        "what_we_do": (
            "Des parents bénévoles accueillent, écoutent et partagent les bons plans du "
            "territoire."
        ),
        "what_we_dont_do": (
            "Pas d'accompagnement individuel : nous vous orientons vers le bon service."
        ),
        "audience": "Parents d'enfants de tous âges.",
        "age_of": "person",
        "access_conditions": "Gratuit, sans inscription.",
        "walk_in": True,
        "collective": True,
        "collective_details": "Le 1er samedi du mois, coin jeux pour les enfants.",
        "places": [("psy-maison-familles", "Sa[1] 10:00-12:00; PH off", "")],
        "verified": 260,
    },
    {
        "slug": "ecoute-parents",
        "partner": "parents-en-chemin",
        "name": "Écoute parents par téléphone",
        "sectors": ["parentalite"],
        "needs": ["soutien-parentalite"],
        "summary": (
            "Une professionnelle répond aux questions des parents par téléphone, en soirée aussi."
        ),
        "what_we_do": (
            "Écoute et conseils sur l'éducation, les relations familiales, la scolarité."
        ),
        "what_we_dont_do": "En cas de danger pour un enfant, appelez le 119.",
        "audience": "Parents.",
        "age_of": "person",
        "access_conditions": "Gratuit, anonyme.",
        "phone": "03 53 73 40 12",
        "on_site": False,
        "remote": True,
        "places": [("vlg-associations", "Mo-Fr 10:00-12:00,17:00-20:00; PH off", "Par téléphone")],
        "verified": 70,
    },
    {
        "slug": "accompagnement-violences",
        "partner": "departement-yonne-solidarites",
        "name": "Accompagnement des victimes de violences intrafamiliales",
        "sectors": ["parentalite", "acces-aux-droits"],
        "needs": ["violences-intrafamiliales"],
        "summary": (
            "Être écouté, protégé et accompagné face aux violences conjugales ou familiales."
        ),
        "what_we_do": (
            "Une travailleuse sociale spécialisée vous reçoit rapidement, en toute "
            "confidentialité : mise à l'abri, plainte, démarches, protection des enfants."
        ),
        "what_we_dont_do": "En cas de danger immédiat, appelez le 17 ou envoyez un SMS au 114.",
        "audience": "Toute personne victime de violences dans son couple ou sa famille.",
        "age_of": "person",
        "access_conditions": "Gratuit, confidentiel, rendez-vous sous 48 heures.",
        "phone": "03 53 73 20 13",
        "remote": True,
        "languages": ["fr", "en", "ar", "tr"],
        "places": [("psy-cms", OFFICE, "Rendez-vous possible dans un autre lieu si besoin")],
        "verified": 30,
    },
    {
        "slug": "service-social-departemental",
        "partner": "departement-yonne-solidarites",
        "name": "Service social départemental : assistante sociale",
        "sectors": ["acces-aux-droits", "parentalite"],
        "needs": ["acces-aux-droits", "aide-financiere", "logement", "violences-intrafamiliales"],
        "summary": "Une assistante sociale vous aide quand les difficultés s'accumulent.",
        "what_we_do": (
            "Budget, logement, santé, enfants, papiers : l'assistante sociale fait le "
            "point avec vous, monte les dossiers d'aide et coordonne les intervenants."
        ),
        "what_we_dont_do": (
            "Pour une simple démarche en ligne, France Services vous reçoit plus vite."
        ),
        "audience": "Toute personne en difficulté, sans condition.",
        "age_of": "person",
        "access_conditions": "Sur rendez-vous, à domicile si vous ne pouvez pas vous déplacer.",
        "documents": [
            "Pièce d'identité",
            "Justificatifs de ressources",
            "Factures ou courriers en cause",
        ],
        "phone": "03 53 73 20 14",
        "places": [("psy-cms", OFFICE, "Sur rendez-vous")],
        "verified": 58,
    },
    # --- Handicap ------------------------------------------------------------------
    {
        "slug": "mdph-permanence",
        "partner": "mdph-yonne",
        "name": "MDPH : aide au dossier (permanence mensuelle)",
        "sectors": ["handicap"],
        "needs": ["handicap-enfant", "handicap-adulte"],
        "summary": (
            "Une conseillère de la MDPH vous aide à remplir votre demande, une fois par mois."
        ),
        "what_we_do": (
            "Information sur les droits (AEEH, AAH, PCH, RQTH, carte mobilité inclusion, "
            "AESH), aide pour remplir le formulaire et le certificat médical."
        ),
        "what_we_dont_do": (
            "Nous ne décidons pas de l'attribution des droits : c'est la commission (CDAPH). "
            "Pour l'accueil d'un enfant handicapé en crèche ou au centre de loisirs, voyez "
            "le pôle ressources handicap."
        ),
        "audience": "Personnes handicapées de tout âge, leurs familles et aidants.",
        "age_of": "person",
        "access_conditions": "Sur rendez-vous via France Services.",
        "documents": [
            "Pièce d'identité",
            "Certificat médical de moins d'un an",
            "Justificatif de domicile",
        ],
        "phone": "03 53 73 20 51",
        "languages": ["fr", "lsf"],
        "places": [
            ("psy-maison-services", "Tu[3] 09:00-12:00,13:30-16:30; PH off", "Le 3e mardi du mois")
        ],
        "verified": 190,
    },
    {
        "slug": "pole-ressources-handicap",
        "partner": "ccyn-enfance-jeunesse",
        "name": "Pôle ressources handicap enfance",
        "sectors": ["handicap", "petite-enfance", "enfance"],
        "needs": ["handicap-enfant", "faire-garder-mon-enfant", "centre-de-loisirs-vacances"],
        "summary": (
            "Pour qu'un enfant handicapé soit accueilli en crèche, au périscolaire ou au centre "
            "de loisirs."
        ),
        "what_we_do": (
            "La référente prépare l'accueil avec la famille et l'équipe : projet "
            "d'accueil, renfort d'animateur, formation, matériel adapté."
        ),
        "what_we_dont_do": "Nous ne faisons pas le dossier MDPH : voyez la permanence de la MDPH.",
        "audience": (
            "Familles d'un enfant de 0 à 17 ans en situation de handicap ou avec une maladie "
            "chronique."
        ),
        "age_min": 0,
        "age_max": 17,
        "access_conditions": "Sans notification MDPH obligatoire.",
        "phone": "03 53 73 10 39",
        "email": "inclusion@ccyn.example.org",
        "remote": True,
        "places": [
            ("psy-petite-enfance", "Mo,Th 09:00-12:00,13:30-17:00; PH off", "Sur rendez-vous")
        ],
        "verified": 40,
    },
    {
        "slug": "repit-aidants",
        "partner": "repit-aidants-yonne",
        "name": "Plateforme de répit des aidants",
        "sectors": ["handicap", "sante"],
        "needs": ["aidant-proche", "ecoute-sante-mentale"],
        "summary": "Vous aidez un proche ? Écoute, groupes de parole et solutions pour souffler.",
        "what_we_do": (
            "Entretien individuel, groupes de parole d'aidants, sorties partagées, "
            "recherche d'un accueil de jour ou d'un relais à domicile."
        ),
        "what_we_dont_do": (
            "Pas de soins ni d'aide à domicile directe : nous trouvons le service qui le fait."
        ),
        "audience": "Proches aidants d'une personne malade, handicapée ou âgée.",
        "age_of": "person",
        "access_conditions": "Gratuit.",
        "phone": "03 53 73 50 31",
        "collective": True,
        "collective_details": "Groupe de parole le 1er lundi du mois à 14 h.",
        "remote": True,
        "places": [("vlg-mairie", "Mo-Fr 09:00-17:00; PH off", "")],
        "verified": 100,
    },
    # --- Santé ----------------------------------------------------------------------
    {
        "slug": "maison-de-sante",
        "partner": "maison-de-sante-pont",
        "name": "Maison de santé pluriprofessionnelle",
        "sectors": ["sante"],
        "needs": ["se-soigner"],
        "summary": (
            "Médecins, infirmières et kinés au même endroit, avec des consultations sans rendez-"
            "vous le samedi."
        ),
        "what_we_do": (
            "Consultations de médecine générale, soins infirmiers, kinésithérapie, "
            "orthophonie, éducation thérapeutique. Nouveaux patients acceptés pour les "
            "enfants et les personnes sans médecin traitant."
        ),
        "what_we_dont_do": "Pas d'urgences vitales : appelez le 15. Pas de radiologie sur place.",
        "audience": "Tout le monde.",
        "access_conditions": "Sur rendez-vous en semaine, sans rendez-vous le samedi matin.",
        "cost": "paid",
        "cost_details": "Tarifs conventionnés secteur 1, tiers payant.",
        "documents": ["Carte Vitale", "Attestation de complémentaire santé"],
        "phone": "03 53 73 50 01",
        "places": [("psy-sante", "Mo-Fr 08:00-19:30; Sa 08:30-12:00; PH off", "")],
        "verified": 60,
    },
    {
        "slug": "cmp-enfants-adolescents",
        "partner": "cmp-infanto-juvenile",
        "name": "Consultations psychologiques enfants et adolescents (CMP)",
        "sectors": ["sante", "enfance", "jeunesse"],
        "needs": ["ecoute-sante-mentale", "sante-des-jeunes", "handicap-enfant"],
        "summary": (
            "Psychologues, orthophoniste et pédopsychiatre pour les enfants et les ados, "
            "gratuitement."
        ),
        "what_we_do": "Bilans, consultations et prises en charge en groupe ou individuelles.",
        "what_we_dont_do": (
            "Le délai pour un premier rendez-vous est de plusieurs semaines ; pour "
            "parler vite à quelqu'un, le PAEJ reçoit sans rendez-vous."
        ),
        "audience": "Enfants et adolescents de 0 à 17 ans et leurs parents.",
        "age_min": 0,
        "age_max": 17,
        "access_conditions": "Gratuit, sur rendez-vous, demande faite par les parents.",
        "documents": ["Carnet de santé", "Carte Vitale"],
        "phone": "03 53 73 50 11",
        "places": [("psy-cmp", "Mo-Fr 09:00-17:00; PH off", "")],
        "verified": 170,
    },
    # --- Accès aux droits / précarité ---------------------------------------------------
    {
        "slug": "ccas-pont-sur-yonne",
        "partner": "ccas-pont-sur-yonne",
        "name": "CCAS de Pont-sur-Yonne : aides et accompagnement",
        "sectors": ["acces-aux-droits"],
        "needs": ["aide-financiere", "aide-alimentaire", "acces-aux-droits"],
        "summary": (
            "Aides d'urgence, bons alimentaires et accès à l'épicerie solidaire pour les "
            "habitants de Pont-sur-Yonne."
        ),
        "what_we_do": (
            "Instruction des demandes d'aide facultative (facture, alimentation, "
            "transport), domiciliation, dossier d'aide sociale, lien avec l'épicerie solidaire."
        ),
        "what_we_dont_do": (
            "Nous ne versons pas le RSA (c'est la CAF) et ne suivons pas les "
            "habitants des autres communes : adressez-vous à votre mairie."
        ),
        "audience": "Habitants de Pont-sur-Yonne.",
        "age_of": "person",
        "access_conditions": "Sur rendez-vous, sans rendez-vous le lundi matin.",
        "documents": [
            "Pièce d'identité",
            "Justificatifs de ressources",
            "Facture ou courrier en cause",
        ],
        "phone": "03 53 73 30 06",
        "walk_in": True,
        "serves": ["pont-sur-yonne"],
        "places": [
            ("psy-mairie", "Mo,We,Fr 08:30-12:00; Tu,Th 08:30-12:00,13:30-17:00; PH off", "")
        ],
        "verified": 44,
    },
    {
        "slug": "ccas-villeneuve-la-guyard",
        "partner": "ccas-villeneuve-la-guyard",
        "name": "CCAS de Villeneuve-la-Guyard",
        "sectors": ["acces-aux-droits"],
        "needs": ["aide-financiere", "aide-alimentaire"],
        "summary": "Aides d'urgence pour les habitants de Villeneuve-la-Guyard et Champigny.",
        "what_we_do": "Aides facultatives, colis alimentaires, dossiers d'aide sociale.",
        "what_we_dont_do": "Pas de permanence le mardi et le jeudi.",
        "audience": "Habitants de Villeneuve-la-Guyard et Champigny.",
        "age_of": "person",
        "access_conditions": "Sur rendez-vous.",
        "documents": ["Pièce d'identité", "Justificatifs de ressources"],
        "phone": "03 53 73 30 16",
        "serves": ["villeneuve-la-guyard", "champigny"],
        "places": [("vlg-mairie", "Mo,We,Fr 09:00-12:00; PH off", "")],
        "verified": 320,
    },
    {
        "slug": "epicerie-solidaire",
        "partner": "panier-partage",
        "name": "Épicerie solidaire Le Panier Partagé",
        "sectors": ["acces-aux-droits"],
        "needs": ["aide-alimentaire", "aide-financiere"],
        "summary": "Faire ses courses à petit prix pendant quelques mois, le temps de souffler.",
        "what_we_do": (
            "Produits frais, d'hygiène et d'épicerie à 10 à 30 % de leur prix, ateliers "
            "cuisine et budget, écoute par les bénévoles."
        ),
        "what_we_dont_do": (
            "Pas d'accès sans orientation d'un travailleur social ou du CCAS. Pour un "
            "colis d'urgence ce jour, appelez le CCAS."
        ),
        "audience": "Familles et personnes seules aux revenus modestes du territoire.",
        "age_of": "person",
        "access_conditions": "Sur orientation (CCAS, assistante sociale, CAF), pour 3 à 6 mois.",
        "cost": "paid",
        "cost_details": "Produits à 10 à 30 % du prix habituel.",
        "documents": ["Fiche d'orientation du travailleur social"],
        "phone": "03 53 73 40 31",
        "collective": True,
        "collective_details": "Atelier cuisine le vendredi matin.",
        "places": [("psy-epicerie", "Tu 14:00-18:30; Fr 09:00-12:00,14:00-18:30; PH off", "")],
        "verified": 90,
    },
    {
        "slug": "point-justice",
        "partner": "point-justice-yonne",
        "name": "Point-justice : conseils juridiques gratuits",
        "sectors": ["acces-aux-droits"],
        "needs": ["acces-aux-droits", "conflit-familial-separation", "logement"],
        "summary": "Un juriste ou un avocat répond gratuitement à vos questions de droit.",
        "what_we_do": (
            "Information juridique sur la famille (divorce, pension), le logement, le "
            "travail, les dettes, et aide pour saisir un tribunal."
        ),
        "what_we_dont_do": (
            "Nous ne vous représentons pas au tribunal : demandez l'aide juridictionnelle."
        ),
        "audience": "Tout le monde.",
        "age_of": "person",
        "access_conditions": "Sur rendez-vous via France Services.",
        "documents": ["Tous les courriers et jugements concernant votre question"],
        "phone": "03 53 73 50 21",
        "places": [("psy-maison-services", "Th[2] 14:00-17:00; PH off", "Le 2e jeudi du mois")],
        "verified": 380,
    },
    {
        "slug": "ateliers-parents-enfants-champigny",
        "partner": "parents-en-chemin",
        "name": "Ateliers parents-enfants de Champigny",
        "sectors": ["parentalite", "petite-enfance"],
        "needs": ["soutien-parentalite", "eveil-tout-petit"],
        "summary": (
            "Peinture, musique, cuisine : un samedi matin par mois à partager avec son enfant."
        ),
        "what_we_do": (
            "Une animatrice propose une activité à faire ensemble, parent et enfant, puis "
            "un temps d'échange autour d'un goûter."
        ),
        "what_we_dont_do": "Ce n'est pas un mode de garde : l'enfant reste avec son parent.",
        "audience": "Enfants de 1 à 10 ans avec un parent ou un grand-parent.",
        "age_min": 1,
        "age_max": 10,
        "access_conditions": "Gratuit, inscription conseillée (12 familles au plus).",
        "phone": "03 53 73 40 14",
        "collective": True,
        "collective_details": "Le 3e samedi du mois.",
        "places": [("champigny-salle", "Sa[3] 10:00-12:00; PH off", "Le 3e samedi du mois")],
        "verified": 65,
    },
    {
        "slug": "distribution-alimentaire-evry",
        "partner": "panier-partage",
        "name": "Distribution alimentaire des villages",
        "sectors": ["acces-aux-droits"],
        "needs": ["aide-alimentaire"],
        "summary": (
            "Une distribution de colis le dernier vendredi du mois à Évry, pour les villages sans"
            " épicerie."
        ),
        "what_we_do": (
            "Les bénévoles du Panier Partagé apportent des colis de produits frais et "
            "d'épicerie aux familles inscrites des villages du sud du territoire."
        ),
        "what_we_dont_do": (
            "Pas de livraison à domicile, sauf pour les personnes qui ne peuvent pas se déplacer."
        ),
        "audience": "Familles aux revenus modestes d'Évry, Cuy, Saint-Sérotin et Gisy-les-Nobles.",
        "age_of": "person",
        "access_conditions": "Inscription par le CCAS ou l'assistante sociale.",
        "cost": "free",
        "phone": "03 53 73 40 32",
        "serves": ["evry", "cuy", "saint-serotin", "gisy-les-nobles"],
        "places": [("evry-mairie", "Fr[-1] 14:00-16:30; PH off", "Le dernier vendredi du mois")],
        "verified": 75,
    },
    {
        "slug": "examen-prevention-sante-jeunes",
        "partner": "cpam-yonne",
        "name": "Examen de prévention santé pour les 16-25 ans",
        "sectors": ["sante", "jeunesse"],
        "needs": ["sante-des-jeunes", "se-soigner"],
        "summary": (
            "Un bilan de santé complet et gratuit, avec un médecin, pour les jeunes de 16 à 25 "
            "ans."
        ),
        "what_we_do": (
            "Examen médical, vue, audition, vaccins, prise de sang si besoin, et point "
            "sur vos droits à l'Assurance maladie. Transport organisé depuis France Services."
        ),
        "what_we_dont_do": "Ce n'est pas une consultation pour une maladie : voyez votre médecin.",
        "audience": "Jeunes de 16 à 25 ans, en priorité ceux qui n'ont pas de médecin.",
        "age_of": "person",
        "age_min": 16,
        "age_max": 25,
        "access_conditions": (
            "Gratuit, sur inscription auprès de la Mission Locale ou de France Services."
        ),
        "documents": ["Carte Vitale", "Carnet de vaccination"],
        "phone": "03 53 73 20 43",
        "places": [("psy-maison-services", "", "Inscriptions à France Services")],
        "verified": 140,
    },
]

# Référents thématiques and personnes-relais: professional contacts only.
REFERENTS = [
    {
        "theme": "parentalite",
        "role": "Coordinatrice parentalité de la CCYN",
        "partner": "ccyn-enfance-jeunesse",
        "phone": "03 53 73 10 70",
        "email": "parentalite@ccyn.example.org",
        "availability": "Du lundi au vendredi, de 9 h à 17 h",
    },
    {
        "theme": "parentalite",
        "role": "Parent relais du café des parents",
        "partner": "parents-en-chemin",
        "phone": "03 53 73 40 13",
        "availability": "Le 1er samedi du mois au café des parents",
        "is_relay_person": True,
        "visibility": "pros",
    },
    {
        "theme": "precarite",
        "role": "Référente précarité – assistante sociale de secteur",
        "partner": "departement-yonne-solidarites",
        "phone": "03 53 73 20 15",
        "email": "as-secteur-nord@yonne-demo.example.org",
        "availability": "Permanence téléphonique le mardi matin",
        "visibility": "pros",
    },
    {
        "theme": "precarite",
        "role": "Référent accès aux droits de France Services",
        "partner": "france-services-yonne-nord",
        "phone": "03 53 73 10 45",
        "email": "acces-aux-droits@ccyn.example.org",
        "availability": "Aux heures d'ouverture de France Services",
    },
    {
        "theme": "handicap",
        "role": "Référente inclusion handicap enfance",
        "partner": "ccyn-enfance-jeunesse",
        "phone": "03 53 73 10 39",
        "email": "inclusion@ccyn.example.org",
        "availability": "Le lundi et le jeudi",
    },
    {
        "theme": "handicap",
        "role": "Référente MDPH de secteur",
        "partner": "mdph-yonne",
        "phone": "03 53 73 20 52",
        "availability": "Pour les professionnels, du lundi au vendredi",
        "visibility": "pros",
    },
    {
        "theme": "petite_enfance",
        "role": "Animatrice du Relais Petite Enfance",
        "partner": "ccyn-petite-enfance",
        "phone": "03 53 73 10 25",
        "email": "rpe@ccyn.example.org",
        "availability": "Aux horaires du Relais Petite Enfance",
    },
    {
        "theme": "enfance_jeunesse",
        "role": "Coordinateur enfance-jeunesse de la CCYN",
        "partner": "ccyn-enfance-jeunesse",
        "phone": "03 53 73 10 30",
        "email": "enfance-jeunesse@ccyn.example.org",
        "availability": "Du lundi au vendredi",
    },
    {
        "theme": "enfance_jeunesse",
        "role": "Habitant relais jeunesse de Vinneuf et Courlon",
        "partner": "ccyn-enfance-jeunesse",
        "phone": "03 53 73 10 71",
        "availability": "Le mercredi après-midi",
        "is_relay_person": True,
        "visibility": "pros",
        "communes": ["vinneuf", "courlon-sur-yonne"],
    },
]
