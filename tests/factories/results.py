"""Questionnaire results: a closed consultation whose questions about the person were
answered by a given number of people, and its published summary (inside an application
context; they flush).

Person i (from 0) answers:
- "In what capacity are you answering?": "Person who has had cancer" for the first 5,
  "Carer" after; nobody chooses "Health professional";
- "Which difficulties did you face after treatment?": "Lasting fatigue" everyone,
  "Access to loans and insurance" persons 0 and 1, "Return to work" persons 2, 3 and 4
  (other persons when given);
- "How important is this research to you?": 5 ("Very important") everyone (1 for the
  persons given).
"""

from werkzeug.datastructures import MultiDict

from engage.consultations import participation, services
from engage.core.clock import local_today
from tests.factories import consultations, summaries
from tests.factories.users import user

CANCER = ("Personne ayant eu un cancer", "Person who has had cancer")
CARER = ("Proche aidant·e", "Carer")
PROFESSIONAL = ("Professionnel·le de santé", "Health professional")
FATIGUE = ("Fatigue persistante", "Lasting fatigue")
LOANS = ("Accès à l’emprunt et à l’assurance", "Access to loans and insurance")
WORK = ("Retour au travail", "Return to work")


def _texts(fr: str, en: str, options=(), low=("", ""), high=("", "")):
    return {
        "fr": services.QuestionText(text=fr, options=[o[0] for o in options],
                                    scale_min_label=low[0], scale_max_label=high[0]),
        "en": services.QuestionText(text=en, options=[o[1] for o in options],
                                    scale_min_label=low[1], scale_max_label=high[1]),
    }


QUESTIONS = [
    ("single_choice", True, _texts("À quel titre répondez-vous ?",
                                   "In what capacity are you answering?",
                                   [CANCER, CARER, PROFESSIONAL])),
    ("multiple_choice", True, _texts("Quelles difficultés avez-vous rencontrées ?",
                                     "Which difficulties did you face after treatment?",
                                     [FATIGUE, LOANS, WORK])),
    ("scale", True, _texts("Cette recherche est-elle importante pour vous ?",
                           "How important is this research to you?",
                           low=("Pas importante", "Not important"),
                           high=("Très importante", "Very important"))),
]


def answered(respondents: int, *, loans=range(0, 2), work=range(2, 5), ones=range(0)):
    """(moderator, closed consultation, its two contributions). `loans`, `work`: the persons
    who choose these difficulties; `ones`: those who answer 1 on the scale."""
    moderator = user("moderator")
    item = consultations.consultation("draft", author=moderator)
    for kind, required, texts in QUESTIONS:
        services.add_question(moderator, item, kind=kind, required=required, texts=texts)
    item.open(local_today())
    single, multiple, scale = item.questions
    for person in range(respondents):
        chosen = [multiple.options[0]]
        chosen += [multiple.options[1]] if person in loans else []
        chosen += [multiple.options[2]] if person in work else []
        form = MultiDict([(f"q{single.id}", str(single.options[0 if person < 5 else 1].id)),
                          (f"q{scale.id}", "1" if person in ones else "5")]
                         + [(f"q{multiple.id}", str(option.id)) for option in chosen])
        participation.save_response(user(), item, form, submit=True)
    author = user("participant", language="en")
    items = [consultations.contribution(item, author, f"Contribution number {n}",
                                        language="en") for n in range(2)]
    item.close()
    return moderator, item, items


def published_report(respondents: int):
    """(consultation, published summary) of `answered(respondents)`."""
    moderator, item, items = answered(respondents)
    return item, summaries.published(moderator, item, items)
