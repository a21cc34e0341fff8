"""Word banks for `engage.synth`: bilingual sentences about life with and after cancer.

Sentences are plain text (no Markdown), so that the folded words of a text made of them
are the folded words of each sentence, joined: `engage.synth` indexes them once.
"""

# (French, English): what people write about.
TOPICS = [
    ("la fatigue après les traitements", "fatigue after treatment"),
    ("le retour au travail", "returning to work"),
    ("l’accès aux essais cliniques", "access to clinical trials"),
    ("la prise en charge de la douleur", "pain management"),
    ("le soutien psychologique", "psychological support"),
    ("les effets tardifs de la chimiothérapie", "late effects of chemotherapy"),
    ("le droit à l’oubli pour les emprunts", "the right to be forgotten for loans"),
    ("l’information des proches aidants", "information for carers"),
    ("la fertilité après un cancer", "fertility after cancer"),
    ("les cancers pédiatriques", "childhood cancers"),
    ("la nutrition pendant la chimiothérapie", "nutrition during chemotherapy"),
    ("les soins de support", "supportive care"),
    ("l’activité physique adaptée", "adapted physical activity"),
    ("le dépistage du cancer du sein", "breast cancer screening"),
    ("le dépistage du cancer colorectal", "colorectal cancer screening"),
    ("les thérapies ciblées", "targeted therapies"),
    ("l’immunothérapie", "immunotherapy"),
    ("la radiothérapie", "radiotherapy"),
    ("les troubles cognitifs", "cognitive problems"),
    ("la coordination entre l’hôpital et la ville", "coordination between hospital and GP"),
    ("les délais de rendez-vous", "waiting times for appointments"),
    ("les transports vers l’hôpital", "transport to hospital"),
    ("les restes à charge", "out-of-pocket costs"),
    ("la qualité de vie des patients âgés", "quality of life of older patients"),
    ("les cancers rares", "rare cancers"),
    ("le sommeil pendant les traitements", "sleep during treatment"),
    ("la vie intime après un cancer", "intimacy after cancer"),
    ("l’annonce du diagnostic", "how the diagnosis is given"),
    ("la télésurveillance à domicile", "remote monitoring at home"),
    ("le partage des données de santé", "sharing health data"),
]

CONTRIBUTION_SENTENCES = {
    "fr": [
        "Je pense que {t} devrait être une priorité pour la recherche.",
        "Pendant mon parcours, {t} a été la difficulté la plus lourde.",
        "Il faudrait mieux informer les patients sur {t}.",
        "Mon association reçoit beaucoup de questions sur {t}.",
        "Les études sur {t} sont encore trop rares en Île-de-France.",
        "Comme proche aidant, j’ai vu combien {t} compte au quotidien.",
        "Les équipes soignantes manquent de temps pour parler de {t}.",
        "Une étude comparant les pratiques des hôpitaux sur {t} serait utile.",
        "Je souhaite que les patients soient associés aux recherches sur {t}.",
        "Personne ne m’a parlé de {t} avant la fin des traitements.",
        "Les résultats des recherches sur {t} doivent être expliqués en langage clair.",
        "Dans mon département, l’offre sur {t} reste très inégale.",
        "Les jeunes adultes ont des besoins particuliers pour {t}.",
        "On sous-estime l’effet de {t} sur la vie de famille.",
        "Il manque des consultations dédiées à {t} après la rémission.",
    ],
    "en": [
        "I think {t} should be a research priority.",
        "During my treatment, {t} was the hardest part.",
        "Patients should be better informed about {t}.",
        "My association receives many questions about {t}.",
        "Studies on {t} are still too rare in the Paris region.",
        "As a carer, I saw how much {t} matters every day.",
        "Care teams lack the time to talk about {t}.",
        "A study comparing hospital practices on {t} would help.",
        "I wish patients were involved in research on {t}.",
        "Nobody told me about {t} before the end of treatment.",
        "Research findings on {t} must be explained in plain language.",
        "Where I live, what is offered for {t} varies a lot.",
        "Young adults have particular needs regarding {t}.",
        "The effect of {t} on family life is underestimated.",
        "There are not enough follow-up appointments about {t} after remission.",
    ],
}

REPLY_SENTENCES = {
    "fr": [
        "Merci pour ce témoignage, je vis la même chose.",
        "Je suis d’accord, {t} mérite plus d’attention.",
        "Avez-vous pu en parler à votre équipe soignante ?",
        "Notre association organise des rencontres sur {t}, n’hésitez pas.",
        "C’est aussi mon expérience, surtout la première année.",
        "Je ne suis pas tout à fait d’accord : {t} dépend beaucoup de l’hôpital.",
        "Une étude récente sur {t} va dans ce sens.",
    ],
    "en": [
        "Thank you for sharing this, I am going through the same.",
        "I agree, {t} deserves more attention.",
        "Were you able to talk about it with your care team?",
        "Our association holds meetings about {t}, do come along.",
        "That is my experience too, especially in the first year.",
        "I do not fully agree: {t} depends a lot on the hospital.",
        "A recent study on {t} points the same way.",
    ],
}

QUESTION_FORMS = {
    "fr": [
        "Comment améliorer {t} pour les personnes traitées pour un cancer ?",
        "Quels sont les effets à long terme de {t} ?",
        "Quelles interventions réduisent les difficultés liées à {t} ?",
        "Comment mieux accompagner les proches face à {t} ?",
        "Quel suivi proposer pour {t} après la fin des traitements ?",
    ],
    "en": [
        "How can {t} be improved for people treated for cancer?",
        "What are the long-term effects of {t}?",
        "Which interventions reduce the difficulties linked to {t}?",
        "How can families be better supported with {t}?",
        "What follow-up should be offered for {t} after treatment ends?",
    ],
}

CONSULTATION_TITLES = {
    "fr": ["Priorités de recherche : {t}", "Votre expérience : {t}"],
    "en": ["Research priorities: {t}", "Your experience: {t}"],
}

CONSULTATION_SUMMARY = {
    "fr": "Le réseau souhaite connaître votre avis sur {t}, pour orienter ses prochains appels "
          "à projets.",
    "en": "The network would like your views on {t}, to shape its next funding calls.",
}

CONSULTATION_BODY = {
    "fr": "## Pourquoi cette consultation\n\n{s1}\n\n{s2}\n\n## Comment participer\n\n"
          "- répondez au questionnaire (10 minutes environ) ;\n"
          "- partagez votre expérience dans une contribution ;\n"
          "- soutenez les contributions qui vous parlent.\n\n"
          "Merci de ne pas donner de détails sur votre santé qui permettraient de vous "
          "reconnaître.",
    "en": "## Why this consultation\n\n{s1}\n\n{s2}\n\n## How to take part\n\n"
          "- answer the questionnaire (about 10 minutes);\n"
          "- share your experience in a contribution;\n"
          "- support the contributions that speak to you.\n\n"
          "Please do not give details about your health that could identify you.",
}

SUMMARY_BODY = {
    "fr": "## Ce que vous nous avez dit\n\n{points}\n\n## Et maintenant\n\nLe conseil "
          "scientifique du réseau s’appuiera sur ces contributions pour rédiger le prochain "
          "appel à projets.",
    "en": "## What you told us\n\n{points}\n\n## What happens next\n\nThe network’s "
          "scientific board will draw on these contributions to write its next funding call.",
}
SUMMARY_POINT = {
    "fr": "- Beaucoup de participants soulignent l’importance de {t} {cite}.",
    "en": "- Many participants stress how much {t} matters {cite}.",
}
SUMMARY_RESPONSE = {
    "fr": "Le réseau finance en priorité deux projets sur {t}.",
    "en": "The network will fund two projects on {t} first.",
}

QUESTIONNAIRE = [
    # (kind, French, English, options as (French, English))
    ("single_choice", "À quel titre répondez-vous ?", "In what capacity are you answering?",
     [("Personne ayant eu un cancer", "Person who has had cancer"),
      ("Proche aidant", "Carer"), ("Professionnel de santé", "Health professional"),
      ("Citoyen", "Citizen")]),
    ("multiple_choice", "Qu’est-ce qui vous a le plus manqué ?", "What did you miss most?",
     [("De l’information", "Information"), ("Du soutien psychologique", "Psychological support"),
      ("Du temps avec les soignants", "Time with care staff"),
      ("Une aide pour les démarches", "Help with paperwork"),
      ("Un accompagnement au retour au travail", "Support returning to work")]),
    ("scale", "Ce sujet est-il important pour vous ?", "Does this subject matter to you?", []),
    ("ranking", "Classez ces priorités", "Rank these priorities",
     [("Mieux informer", "Inform better"), ("Mieux soigner", "Treat better"),
      ("Mieux accompagner", "Support better")]),
    ("free_text", "Que voudriez-vous ajouter ?", "What would you like to add?", []),
]
FREE_TEXT_ANSWERS = {
    "fr": ["Plus d’écoute, tout simplement.", "Des horaires adaptés pour les rendez-vous.",
           "Un interlocuteur unique pendant les traitements."],
    "en": ["More listening, quite simply.", "Appointment times that fit working life.",
           "A single contact person during treatment."],
}

THEMES = [
    ("Retour au travail", "Return to work"),
    ("Effets tardifs des traitements", "Late effects of treatment"),
    ("Droit à l’oubli", "Right to be forgotten"),
    ("Essais cliniques", "Clinical trials"),
    ("Information des patients", "Patient information"),
    ("Soins de support", "Supportive care"),
    ("Proches aidants", "Carers"),
    ("Dépistage", "Screening"),
    ("Qualité de vie", "Quality of life"),
    ("Accès aux soins", "Access to care"),
    ("Fertilité", "Fertility"),
    ("Cancers de l’enfant", "Childhood cancers"),
    ("Santé mentale", "Mental health"),
    ("Nutrition", "Nutrition"),
    ("Données de santé", "Health data"),
    ("Activité physique", "Physical activity"),
]

FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Nadia", "Fatou", "Sophie",
    "Claire", "Anne", "Marie", "Yasmine", "Lucie", "Thomas", "Nicolas", "Karim", "Julien",
    "Mehdi", "Antoine", "Pierre", "Hugo", "Louis", "Omar", "Paul", "Mamadou", "Luc", "Éric",
    "Jean", "Rachid", "Bruno", "Olivier", "Aïcha", "Hélène", "Élodie", "Agnès", "Zoé", "Noah",
]
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Diallo", "Benali", "Nguyen", "Traoré", "Haddad",
]
PSEUDONYMS = ["Colibri", "Papillon", "Étoile", "Rivière", "Mésange", "Hirondelle", "Olivier",
              "Lumière", "Marée", "Boussole", "Phare", "Brise"]

ASSOCIATION_WORDS = [
    "Vivre", "Ensemble", "Espoir", "Solidarité", "Entraide", "Lumière", "Horizon", "Courage",
    "Avenir", "Soutien",
]
ASSOCIATION_KINDS = [
    "contre le cancer", "des patients", "des proches", "pour la recherche", "des familles",
]

INSTITUTIONS = [
    "Institut Curie", "Gustave Roussy", "AP-HP Saint-Louis", "AP-HP Pitié-Salpêtrière",
    "Hôpital européen Georges-Pompidou", "Université Paris Cité", "Sorbonne Université",
    "Université Paris-Saclay", "Inserm U900", "Hôpital Tenon",
]

CRITERIA = [
    ("Importance pour les patients", "Importance to patients",
     "Le projet répond-il à une question qui compte pour les patients ?",
     "Does the project answer a question that matters to patients?"),
    ("Clarté du résumé", "Clarity of the summary",
     "Le résumé est-il compréhensible sans formation médicale ?",
     "Can the summary be understood without medical training?"),
    ("Place des patients", "Patient involvement",
     "Les patients sont-ils associés au projet ?", "Are patients involved in the project?"),
    ("Faisabilité", "Feasibility",
     "Le projet semble-t-il réalisable pour les participants ?",
     "Does the project look manageable for its participants?"),
]
REVIEW_COMMENTS = {
    "fr": ["Projet très utile pour les patients.", "Le résumé mériterait d’être simplifié.",
           "La place des patients est bien pensée.", "Les visites demandées semblent lourdes.",
           "Question importante, peu étudiée jusqu’ici."],
    "en": ["A very useful project for patients.", "The summary should be simpler.",
           "Patient involvement is well thought out.", "The visits asked for look demanding.",
           "An important question, little studied so far."],
}
