"""JSON Schemas of a pathway rule file and of a person's profile. Pure data, no Django.

Dates are ISO strings here: the rule loader keeps YAML dates as text so that the schema
checks them, then parses them to `datetime.date`.
"""

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
COUNTRY = {"type": "string", "pattern": "^[A-Z]{2}$"}
DATE_FACTS = ["birth_date", "entry_date", "in_country_since", "city_arrival_date"]
BOOLEAN_FACTS = ["criminal_record", "has_job_offer", "asylum_claim"]
DOCUMENT_TYPES = {
    "type": "array",
    "minItems": 1,
    "items": {"type": "string", "pattern": "^[a-z0-9_]+$"},
}

# Types of a current permit, as a profile gives them (`current_residence_permit.type`) and as
# `follows[].window.permit_types` lists the ones a pathway grants.
PERMIT_TYPES = ["ppt", "pep", "visa", "residence_permit"]

CONDITION_TYPES = [
    "nationality_in",
    "nationality_only_in",
    "age_between",
    "date_before",
    "date_between",
    "open_until",
    "entry_mode_in",
    "has_document",
    "fact_is",
    "child_has_document",
    "needs_review",
    "any_of",
    "all_of",
    "not",
]

RULE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "country",
        "names",
        "summary",
        "instrument",
        "effective",
        "conditions",
        "grants",
        "documents",
        "where",
        "last_reviewed",
    ],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9_]+$"},
        "country": COUNTRY,
        "names": {"$ref": "#/$defs/text"},
        "summary": {"$ref": "#/$defs/text"},
        "instrument": {
            "type": "object",
            "additionalProperties": False,
            # date and url are in the format, but optional: several instruments are known
            # only by name in the research, and an invented date or link is worse than none.
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "date": DATE,
                "url": {"type": "string", "pattern": "^https?://"},
            },
        },
        "effective": {
            "type": "object",
            "additionalProperties": False,
            "required": ["from"],
            "properties": {"from": DATE, "to": DATE},
        },
        "application_windows": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["from", "to"],
                "properties": {"from": DATE, "to": DATE, "label": {"$ref": "#/$defs/text"}},
            },
        },
        "closed": {
            "type": "object",
            "additionalProperties": False,
            "required": ["since"],
            "properties": {"since": DATE},
        },
        "conditions": {"type": "array", "items": {"$ref": "#/$defs/condition"}},
        "grants": {
            "type": "object",
            "additionalProperties": False,
            "required": ["work", "health", "education", "duration"],
            "properties": {
                # null: our sources do not say (shown as "ask the authority", never as "no").
                "work": {"type": ["boolean", "null"]},
                "health": {"type": ["boolean", "null"]},
                "education": {"type": ["boolean", "null"]},
                "duration": {"$ref": "#/$defs/text"},
            },
        },
        "follows": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text"],
                "properties": {
                    "text": {"$ref": "#/$defs/text"},
                    "window": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["before_expiry_days"],
                        "properties": {
                            "before_expiry_days": {"type": "integer", "minimum": 0},
                            # The permit this pathway grants: only a current permit of one of
                            # these types dates the window (not any permit the person holds).
                            "permit_types": {
                                "type": "array",
                                "minItems": 1,
                                "uniqueItems": True,
                                "items": {"enum": PERMIT_TYPES},
                            },
                        },
                    },
                },
            },
        },
        "documents": {"type": "array", "items": {"$ref": "#/$defs/text"}},
        "fees": {"type": "array", "items": {"$ref": "#/$defs/text"}},
        "where": {"$ref": "#/$defs/text"},
        "warnings": {"type": "array", "items": {"$ref": "#/$defs/text"}},
        "last_reviewed": DATE,
    },
    "$defs": {
        "text": {
            "type": "object",
            "additionalProperties": False,
            "required": ["es", "en", "pt"],
            "properties": {
                "es": {"type": "string", "minLength": 1},
                "en": {"type": "string", "minLength": 1},
                "pt": {"type": "string", "minLength": 1},
            },
        },
        "conditions": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
        "condition": {
            # Exactly one condition type per item is checked by the loader, for a clearer
            # message than oneOf gives.
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "text": {"$ref": "#/$defs/text"},
                "unverified": {"type": "boolean"},
                "nationality_in": {"type": "array", "minItems": 1, "items": COUNTRY},
                "nationality_only_in": {"type": "array", "minItems": 1, "items": COUNTRY},
                "age_between": {
                    "type": "object",
                    "additionalProperties": False,
                    "minProperties": 1,
                    "properties": {
                        "min": {"type": "integer", "minimum": 0},
                        "max": {"type": "integer", "minimum": 0},
                    },
                },
                "open_until": DATE,
                "date_before": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["fact", "date"],
                    "properties": {"fact": {"enum": DATE_FACTS}, "date": DATE},
                },
                "date_between": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["fact", "from", "to"],
                    "properties": {"fact": {"enum": DATE_FACTS}, "from": DATE, "to": DATE},
                },
                "entry_mode_in": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"enum": ["regular", "irregular"]},
                },
                "has_document": {"$ref": "#/$defs/document_condition"},
                "child_has_document": {"$ref": "#/$defs/document_condition"},
                "fact_is": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["fact", "value"],
                    "properties": {"fact": {"enum": BOOLEAN_FACTS}, "value": {"type": "boolean"}},
                },
                # A ground the app cannot check: the text says what a legal adviser must.
                "needs_review": {"$ref": "#/$defs/text"},
                "any_of": {"$ref": "#/$defs/conditions"},
                "all_of": {"$ref": "#/$defs/conditions"},
                "not": {"$ref": "#/$defs/condition"},
            },
        },
        "document_condition": {
            "type": "object",
            "additionalProperties": False,
            "required": ["types"],
            "properties": {
                "types": DOCUMENT_TYPES,
                # Valid on a date of the rule (needs the issue date)...
                "valid_on": DATE,
                # ...or on the evaluation date (an undated document counts as valid).
                "valid_now": {"const": True},
            },
            "not": {"required": ["valid_on", "valid_now"]},
        },
    },
}

_DOCUMENT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type"],
    "properties": {
        "type": {"type": "string"},
        "issuing_country": COUNTRY,
        "issued": DATE,
        "expires": DATE,
    },
}
_NULLABLE_DATE = {"type": ["string", "null"], "pattern": DATE["pattern"]}
_TRI_STATE = {"anyOf": [{"type": "boolean"}, {"const": "unknown"}, {"type": "null"}]}

# What the CLI accepts. The evaluator itself takes anything and treats what it cannot read
# as missing; this schema is for telling a person that their file is wrong.
PROFILE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "nationalities": {"type": "array", "items": COUNTRY},
        "birth_date": _NULLABLE_DATE,
        "entry_date": _NULLABLE_DATE,
        "entry_mode": {"enum": ["regular", "irregular", "unknown", None]},
        "documents": {"type": "array", "items": _DOCUMENT},
        "criminal_record": _TRI_STATE,
        "children": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "birth_date": _NULLABLE_DATE,
                    "documents": {"type": "array", "items": _DOCUMENT},
                },
            },
        },
        "has_job_offer": _TRI_STATE,
        "asylum_claim": _TRI_STATE,
        "in_country_since": _NULLABLE_DATE,
        "city_arrival_date": _NULLABLE_DATE,
        "current_residence_permit": {
            "anyOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "type": {"enum": [*PERMIT_TYPES, None]},
                        "expires": _NULLABLE_DATE,
                    },
                },
            ]
        },
    },
}
