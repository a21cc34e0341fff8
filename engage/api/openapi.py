"""The OpenAPI 3.1 description of the API, as a Python dict served at /api/v1/openapi.json.

Schemas are JSON Schema 2020-12 (as OpenAPI 3.1 wants) and strict: every object lists
its properties and allows no others, so that the tests, which validate every response
against this document, also catch a field that should not be there.
"""

API_VERSION = "1.0.0"

LANGUAGE_CODE = {"type": "string", "pattern": "^[a-z]{2,3}$"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
COUNT = {"type": "integer", "minimum": 0}
ID = {"type": "integer", "minimum": 1}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*types, "null"]}


def obj(properties: dict, description: str = "") -> dict:
    schema = {"type": "object", "properties": properties, "required": list(properties),
              "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def by_language(schema: dict, description: str) -> dict:
    return {"type": "object", "description": description, "propertyNames": LANGUAGE_CODE,
            "additionalProperties": schema}


def texts(*names: str) -> dict:
    return obj({name: {"type": "string"} for name in names})


TRANSLATIONS_NOTE = ("Keyed by language code. Every translation, or with `lang` only the one "
                     "shown: that language, else the fallback (French first).")

SCHEMAS = {
    "Error": obj({"error": obj({"status": {"type": "integer"}, "message": {"type": "string"}})}),
    "PageMeta": obj({"page": ID, "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
                     "total": COUNT, "pages": COUNT}),
    "PageLinks": obj({"self": URL, "first": URL, "last": URL, "prev": nullable(URL),
                      "next": nullable(URL)}),
    "Labels": by_language({"type": "string"}, TRANSLATIONS_NOTE),
    "Theme": obj({"id": ID, "labels": ref("Labels")}),
    "Licence": obj({"name": {"type": "string"}, "identifier": {"type": "string"}, "url": URL}),
    "Index": obj({
        "name": {"type": "string"}, "version": {"type": "string"}, "licence": ref("Licence"),
        "languages": array(LANGUAGE_CODE),
        "links": obj({name: URL for name in (
            "self", "openapi", "consultations", "contributions", "summaries", "priorities",
            "themes", "participation", "commitments", "projects", "accountability_figures")}),
    }),
    "Document": obj({"id": ID, "title": {"type": "string"}, "language": nullable(LANGUAGE_CODE),
                     "size": COUNT, "url": URL}),
    "Consultation": obj({
        "id": ID,
        "status": {"type": "string", "enum": ["open", "closed", "summarized", "archived"]},
        "audience": {"type": "string", "enum": ["everyone", "representatives"],
                     "description": "Who may take part (everyone reads)."},
        "opens_on": nullable(DATE), "closes_on": nullable(DATE),
        "opened_at": nullable(DATE_TIME), "closed_at": nullable(DATE_TIME),
        "summarized_at": nullable(DATE_TIME), "archived_at": nullable(DATE_TIME),
        "translations": by_language(texts("title", "summary", "body"),
                                    TRANSLATIONS_NOTE + " `body` is Markdown."),
        "themes": array(ref("Theme")),
        "documents": array(ref("Document")),
        "figures": obj({"contributions": COUNT, "responses": COUNT},
                       "Public contributions (replies included) and submitted questionnaires."),
        "results_available": {"type": "boolean"},
        "summary_id": nullable(ID),
        "links": obj({"self": URL, "html": URL, "contributions": URL, "participation": URL,
                      "results": nullable(URL), "summary": nullable(URL)}),
    }),
    "Contribution": obj({
        "id": ID,
        "consultation_id": ID,
        "reply_to": nullable(ID),
        "author": obj({"name": {"type": "string"}},
                      "The name the author publishes under: their pseudonym if they chose one."),
        "association": nullable(obj({"id": ID, "name": {"type": "string"}})),
        "language": nullable(LANGUAGE_CODE),
        "body": {"type": "string", "description": "Markdown, as published (after redaction)."},
        "themes": array(ref("Theme")),
        "support_count": COUNT,
        "created_at": DATE_TIME,
        "edited_at": nullable(DATE_TIME),
        "links": obj({"self": URL, "html": URL, "consultation": URL}),
    }),
    "ResultOption": obj({"id": ID, "labels": ref("Labels"), "count": nullable(COUNT),
                         "points": nullable(COUNT)},
                        "`count` for choice questions, `points` for rankings (n points for "
                        "the first of n options, one less for the next…)."),
    "ResultQuestion": obj({
        "id": ID, "position": {"type": "integer"},
        "kind": {"type": "string",
                 "enum": ["single_choice", "multiple_choice", "scale", "ranking"]},
        "required": {"type": "boolean"},
        "translations": by_language(
            texts("text", "hint", "scale_min_label", "scale_max_label"), TRANSLATIONS_NOTE),
        "respondents": nullable(COUNT),
        "withheld": {"type": "boolean"},
        "options": array(ref("ResultOption")),
        "other": nullable(obj({"count": COUNT, "option_ids": array(ID)},
                              "The answers given by 1 to 4 people, counted together (with "
                              "the next smallest one when they alone make fewer than 5 "
                              "people); these options are not listed one by one.")),
        "scale": array(obj({"value": {"type": "integer", "minimum": 1, "maximum": 5},
                            "count": COUNT})),
        "mean": nullable({"type": "number"}),
    }, "No figure describes fewer than 5 people: a question answered by fewer than 5 "
       "people is `withheld` (no `respondents`, no options, no scale, no mean)."),
    "QuestionnaireResults": obj({
        "consultation_id": ID, "responses": COUNT, "questions": array(ref("ResultQuestion")),
        "links": obj({"self": URL, "consultation": URL}),
    }, "Counts of the submitted questionnaires; written answers are never published."),
    "Cell": obj({"key": {"type": "string"}, "label": {"type": "string"}, "count": COUNT}),
    "Participation": obj({
        "consultation_id": nullable(ID),
        "contributions": COUNT, "replies": COUNT, "positions": COUNT, "responses": COUNT,
        "participants": COUNT,
        "small_cell_threshold": {"type": "integer"},
        "by_role": array(ref("Cell")),
        "by_departement": array(ref("Cell")),
        "links": obj({"self": URL}),
    }, "People counted once (authors and respondents). A group of fewer than "
       "`small_cell_threshold` people is merged into `other`; `not_stated` counts those who "
       "did not say."),
    "Summary": obj({
        "id": ID, "consultation_id": ID, "published_at": nullable(DATE_TIME),
        "response_on": nullable(DATE),
        "translations": by_language(texts("body", "response"),
                                    TRANSLATIONS_NOTE + " Markdown; `[#123]` cites "
                                    "contribution 123; `response` is the network's answer."),
        "cited_contributions": array(ID),
        "links": obj({"self": URL, "html": URL, "consultation": URL, "contributions": URL}),
    }),
    "Group": obj({"id": ID, "code": nullable({"type": "string"}), "labels": ref("Labels")}),
    "Exercise": obj({
        "id": ID, "stage": {"type": "string", "enum": ["published"]},
        "published_at": nullable(DATE_TIME), "workshop_on": nullable(DATE),
        "workshop_size": {"type": "integer"},
        "translations": by_language(texts("title", "description", "scope"), TRANSLATIONS_NOTE),
        "groups": array(ref("Group")),
        "links": obj({"self": URL, "html": URL, "questions": URL}),
    }),
    "ExerciseFigures": obj({
        "submissions": COUNT, "submitters": COUNT, "rankers": COUNT, "comments": COUNT,
        "shortlisted": COUNT,
        "questions": obj({"kept": COUNT, "out_of_scope": COUNT, "already_answered": COUNT}),
        "by_group": array(obj({"group_id": nullable(ID), "group_ids": array(ID),
                               "submissions": nullable(COUNT), "submitters": nullable(COUNT),
                               "rankers": nullable(COUNT)})),
    }),
    "PriorityQuestion": obj({
        "id": ID, "number": {"type": "integer"},
        "status": {"type": "string", "enum": ["kept", "out_of_scope", "already_answered"]},
        "translations": by_language(
            texts("text", "explanation", "reason", "population", "intervention", "comparison",
                  "outcome"), TRANSLATIONS_NOTE),
        "answered_reference": {"type": "string"},
        "evidence": array({"type": "string"}),
        "interim_rank": nullable({"type": "integer"}),
        "interim_score": nullable({"type": "number"}),
        "shortlisted": {"type": "boolean"},
        "final_rank": nullable({"type": "integer"}),
        "points_by_group": array(obj({"group_id": nullable(ID), "group_ids": array(ID),
                                      "points": COUNT,
                                      "share": {"type": "number", "minimum": 0,
                                                "maximum": 1}})),
    }),
}
COMMITMENT_STATUSES = ["planned", "in_progress", "done", "not_retained"]
LINK = obj({"url": URL, "label": {"type": "string"}})
UPDATE_DOCUMENT = obj({"id": ID, "title": {"type": "string"}, "size": COUNT, "url": URL},
                      "A PDF document attached to the update.")
SHARE = obj({"count": COUNT, "total": COUNT,
             "percent": nullable({"type": "integer", "minimum": 0, "maximum": 100})},
            "`count` out of `total`; `percent` rounded, null when `total` is 0.")
SCHEMAS.update({
    "CommitmentUpdate": obj({
        "id": ID,
        "kind": {"type": "string", "enum": ["progress", "correction"],
                 "description": "A correction of what was published is an update of its "
                                "own kind: the published texts stay as they were."},
        "happened_on": DATE,
        "status": nullable({"type": "string", "enum": COMMITMENT_STATUSES,
                            "description": "The status this update set, if it set one."}),
        "due_on": nullable({**DATE, "description": "The new due date it set, if any."}),
        "translations": by_language(texts("text"), TRANSLATIONS_NOTE + " Markdown."),
        "links": array(LINK),
        "documents": array(UPDATE_DOCUMENT),
    }),
    "Commitment": obj({
        "id": ID,
        "status": {"type": "string", "enum": COMMITMENT_STATUSES},
        "owner": {"type": "string",
                  "description": "The team or institution of the network that carries it."},
        "starts_on": nullable(DATE), "due_on": nullable(DATE), "done_on": nullable(DATE),
        "published_at": DATE_TIME,
        "translations": by_language(texts("title", "text"), TRANSLATIONS_NOTE + " `text` is "
                                    "Markdown; `[#123]` cites contribution 123."),
        "reason": by_language({"type": "string"}, "Why it is not retained (status "
                              "`not_retained`), keyed by language code; empty otherwise."),
        "answers": obj({
            "summary_id": nullable(ID), "exercise_id": nullable(ID),
            "contribution_ids": array(ID), "question_ids": array(ID),
        }, "What it answers: a published summary (and the public contributions it cites) or "
           "a priority exercise's published results; the research priorities (indicative "
           "questions) it answers."),
        "call_ids": array(ID),
        "links": obj({"self": URL, "html": URL, "summary": nullable(URL),
                      "priorities": nullable(URL)}),
    }, "A commitment of the network's published response. `call_ids`: the funding calls that "
       "declare they take it up (their funded projects are under /projects)."),
    "ProjectUpdate": obj({
        "id": ID,
        "kind": {"type": "string",
                 "enum": ["started", "progress", "results", "publication", "correction"]},
        "happened_on": DATE,
        "translations": by_language(texts("text"), TRANSLATIONS_NOTE + " Markdown."),
        "links": array(LINK),
        "documents": array(UPDATE_DOCUMENT),
    }),
    "LayReview": obj({
        "took_part": {"type": "boolean"},
        "reviewers": nullable(COUNT),
        "fewer_than": nullable({"type": "integer"}),
        "rounds": COUNT,
    }, "The one fact published about lay review, in aggregate: how many lay reviewers "
       "took part in the call's selection (null with `fewer_than` when they were fewer than "
       "5: no figure describes fewer than 5 people), in how many rounds. No score, comment "
       "or reviewer is ever published."),
    "Project": obj({
        "id": ID,
        "call_id": ID,
        "institution": {"type": "string"},
        "published_at": DATE_TIME,
        "translations": by_language(texts("title", "lay_summary"), TRANSLATIONS_NOTE),
        "lay_review": ref("LayReview"),
        "call_answers": obj({"commitment_ids": array(ID), "question_ids": array(ID)},
                            "What the project's call declares it answers: commitments and "
                            "research priorities (indicative questions)."),
        "links": obj({"self": URL, "html": URL}),
    }, "A project funded after lay review, as published by the network."),
    "PeriodFigures": obj({
        "year": nullable({"type": "integer"}),
        "summaries": obj({
            "published": COUNT, "answered": COUNT,
            "answered_within_days": {"type": "integer"},
            "answered_in_time": SHARE,
            "median_delay_days": nullable({"type": "number", "minimum": 0}),
        }, "Published summaries (of that year), those with a published network response, "
           "and the share answered within `answered_within_days` days; the median delay in "
           "whole days between a summary and its response."),
        "commitments": obj({
            "total": COUNT,
            "by_status": obj({status: COUNT for status in COMMITMENT_STATUSES}),
        }, "Published commitments (of responses published that year) by status."),
        "top_priorities": obj({"top": {"type": "integer"}, "taken_up": SHARE},
                              "Research priorities ranked 1 to `top` in published results "
                              "(of that year), and the share that at least one funding call "
                              "takes up."),
    }, "`year` null: every year."),
    "AccountabilityFigures": obj({
        "response_days": {"type": "integer"},
        "top": {"type": "integer"},
        "overall": ref("PeriodFigures"),
        "years": array(ref("PeriodFigures")),
        "links": obj({"self": URL, "commitments": URL, "projects": URL}),
    }, "The network's record in figures: documents counted, never people."),
})
SCHEMAS["CommitmentDetail"] = {
    **SCHEMAS["Commitment"],
    "properties": {**SCHEMAS["Commitment"]["properties"],
                   "updates": array(ref("CommitmentUpdate"))},
    "required": [*SCHEMAS["Commitment"]["required"], "updates"],
}
SCHEMAS["ProjectDetail"] = {
    **SCHEMAS["Project"],
    "properties": {**SCHEMAS["Project"]["properties"], "updates": array(ref("ProjectUpdate"))},
    "required": [*SCHEMAS["Project"]["required"], "updates"],
}
SCHEMAS["ExerciseDetail"] = {
    **SCHEMAS["Exercise"],
    "properties": {**SCHEMAS["Exercise"]["properties"], "figures": ref("ExerciseFigures")},
    "required": [*SCHEMAS["Exercise"]["required"], "figures"],
}


def page_of(name: str) -> dict:
    return obj({"data": array(ref(name)), "meta": ref("PageMeta"), "links": ref("PageLinks")})


for _name in ("Theme", "Consultation", "Contribution", "Summary", "Exercise",
              "PriorityQuestion", "Commitment", "Project"):
    SCHEMAS[f"{_name}Page"] = page_of(_name)


PARAMETERS = {
    "lang": {"name": "lang", "in": "query", "required": False, "schema": LANGUAGE_CODE,
             "description": "Only the translation in this language (or its fallback); also "
                            "the language of labels and of links to the site. Default: "
                            "every translation, labels in the platform's first language."},
    "page": {"name": "page", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "default": 1}},
    "per_page": {"name": "per_page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
}


def _id_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def _filter(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


HEADERS = {
    "ETag": {"description": "Send it back in `If-None-Match`: 304 while nothing changed.",
             "schema": {"type": "string"}},
    "Cache-Control": {"schema": {"type": "string"}},
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "enum": ["*"]}},
}


def _ok(schema_name: str, description: str, paginated: bool = False) -> dict:
    headers = dict(HEADERS)
    if paginated:
        headers["Link"] = {"description": "RFC 8288 links: first, last, prev, next, self.",
                           "schema": {"type": "string"}}
    return {"description": description, "headers": headers,
            "content": {"application/json": {"schema": ref(schema_name)}}}


ERROR = {"content": {"application/json": {"schema": ref("Error")}}}


def _operation(operation_id: str, summary: str, schema_name: str, *, parameters=(),
               paginated: bool = False, not_found: bool = False, description: str = "") -> dict:
    common = [{"$ref": "#/components/parameters/lang"}]
    if paginated:
        common += [{"$ref": "#/components/parameters/page"},
                   {"$ref": "#/components/parameters/per_page"}]
    responses = {
        "200": _ok(schema_name, summary, paginated),
        "304": {"description": "Not modified: the ETag sent in `If-None-Match` still holds."},
        "400": {"description": "A parameter is not valid.", **ERROR},
    }
    responses["404"] = {**ERROR, "description": (
        "Nothing public has this id, or a number in the address is out of range." if not_found
        else "A number in the address (such as `page`) is out of range.")}
    operation = {"operationId": operation_id, "summary": summary,
                 "parameters": [*parameters, *common], "responses": responses}
    if description:
        operation["description"] = description
    return {"get": operation}


PATHS = {
    "/": _operation("index", "Where everything is, and the licence", "Index"),
    "/openapi.json": {"get": {
        "operationId": "openapi", "summary": "This document",
        "responses": {"200": {"description": "The OpenAPI 3.1 document.", "headers": HEADERS,
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      "304": {"description": "Not modified."},
                      "404": {"description": "A number in the address is out of range.",
                              **ERROR}},
    }},
    "/themes": _operation("listThemes", "Themes grouping consultations and contributions",
                          "ThemePage", paginated=True),
    "/consultations": _operation(
        "listConsultations", "Published consultations (drafts never appear)",
        "ConsultationPage", paginated=True, parameters=[
            _filter("status", {"type": "string",
                               "enum": ["open", "closed", "summarized", "archived"]},
                    "Only consultations in this status."),
            _filter("theme", ID, "Only consultations with this theme."),
        ]),
    "/consultations/{consultation_id}": _operation(
        "getConsultation", "One published consultation", "Consultation", not_found=True,
        parameters=[_id_parameter("consultation_id")]),
    "/consultations/{consultation_id}/results": _operation(
        "getQuestionnaireResults", "Questionnaire results (closed questions, counts only)",
        "QuestionnaireResults", not_found=True, parameters=[_id_parameter("consultation_id")],
        description="404 until the consultation is closed."),
    "/consultations/{consultation_id}/participation": _operation(
        "getConsultationParticipation", "Who took part in a consultation, in aggregate",
        "Participation", not_found=True, parameters=[_id_parameter("consultation_id")]),
    "/participation": _operation(
        "getParticipation", "Who took part in all published consultations, in aggregate",
        "Participation"),
    "/contributions": _operation(
        "listContributions", "Published contributions and replies, oldest first",
        "ContributionPage", paginated=True, parameters=[
            _filter("consultation", ID, "Only contributions to this consultation."),
            _filter("theme", ID, "Only contributions with this theme (chosen by the author "
                                 "or given by the moderators)."),
        ]),
    "/contributions/{contribution_id}": _operation(
        "getContribution", "One published contribution", "Contribution", not_found=True,
        parameters=[_id_parameter("contribution_id")]),
    "/summaries": _operation(
        "listSummaries", "Published summaries of consultations", "SummaryPage",
        paginated=True, parameters=[
            _filter("consultation", ID, "Only the summary of this consultation."),
        ]),
    "/summaries/{summary_id}": _operation(
        "getSummary", "One published summary", "Summary", not_found=True,
        parameters=[_id_parameter("summary_id")]),
    "/priorities": _operation(
        "listExercises", "Research priority-setting exercises whose results are published",
        "ExercisePage", paginated=True),
    "/priorities/{exercise_id}": _operation(
        "getExercise", "One exercise with its participation figures", "ExerciseDetail",
        not_found=True, parameters=[_id_parameter("exercise_id")]),
    "/priorities/{exercise_id}/questions": _operation(
        "listPriorityQuestions", "The exercise's indicative questions: final top first, then "
        "the interim ranking", "PriorityQuestionPage", paginated=True, not_found=True,
        parameters=[
            _id_parameter("exercise_id"),
            _filter("status", {"type": "string",
                               "enum": ["kept", "out_of_scope", "already_answered"]},
                    "Only questions with this status."),
        ]),
    "/commitments": _operation(
        "listCommitments", "Commitments of the network's published responses", "CommitmentPage",
        paginated=True, parameters=[
            _filter("status", {"type": "string", "enum": COMMITMENT_STATUSES},
                    "Only commitments with this status."),
        ]),
    "/commitments/{commitment_id}": _operation(
        "getCommitment", "One published commitment, with its updates and what it answers",
        "CommitmentDetail", not_found=True, parameters=[_id_parameter("commitment_id")]),
    "/projects": _operation(
        "listProjects", "Published funded projects", "ProjectPage", paginated=True,
        parameters=[_filter("call", ID, "Only the projects of this funding call.")]),
    "/projects/{project_id}": _operation(
        "getProject", "One published funded project, with its updates", "ProjectDetail",
        not_found=True, parameters=[_id_parameter("project_id")]),
    "/accountability/figures": _operation(
        "getAccountabilityFigures", "The network's record in figures, overall and per year",
        "AccountabilityFigures"),
}


DESCRIPTION = """\
Published content of Engage, the health-democracy platform of the Île-de-France cancer
research network, as open data: consultations, questionnaire results, contributions (under
the name their authors publish with), summaries, research priorities, aggregate
participation figures, and the network's record: its commitments and their updates, the
projects funded after lay review, and the figures of its record. Read-only; nothing
hidden, awaiting moderation, draft or personal is ever returned, and nothing of lay review
but aggregate facts.

Lists are paginated (`page`, `per_page` up to 100) with `links` in the body and a `Link`
header. Every answer has an `ETag`: send it back in `If-None-Match` to get a 304 while
nothing changed. CORS: any origin may read (no credentials)."""


def document(languages, licence: dict) -> dict:
    """The OpenAPI document; `languages` are the platform's, `licence` the data's."""
    parameters = dict(PARAMETERS)
    parameters["lang"] = {**PARAMETERS["lang"],
                          "schema": {"type": "string", "enum": list(languages)}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Engage open data API",
            "version": API_VERSION,
            "description": DESCRIPTION,
            "license": {"name": licence["name"], "identifier": licence["identifier"]},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "parameters": parameters},
    }
