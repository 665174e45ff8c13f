"""The JSON Schema every framework file must satisfy, and the indicators triggers may use."""
from __future__ import annotations

from ecotool.vocab import Indicator, Level, TriggerOp

_CODE = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_TEXT = {"type": "string", "minLength": 1}
# Text that is stored in a column of this length as well (a longer one would fail on PostgreSQL at loading).
_NAME = {"type": "string", "minLength": 1, "maxLength": 200}
_TEXTS = {"type": "array", "items": _TEXT, "minItems": 1}


def _named(code_pattern: str = _CODE) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "name"],
        "properties": {
            "code": {"type": "string", "pattern": code_pattern, "maxLength": 120},
            "name": _NAME,
            "description": _TEXT,
        },
    }


SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["key", "version", "title", "levels", "journey_stages", "response_types", "domains"],
    "properties": {
        "key": {"type": "string", "pattern": _CODE, "maxLength": 80},
        "version": {"type": "string", "minLength": 1, "maxLength": 40},
        "title": _NAME,
        "description": _TEXT,
        "levels": {
            "type": "array",
            "minItems": len(Level),
            "maxItems": len(Level),
            "items": {
                **_named(),
                "properties": {**_named()["properties"], "code": {"enum": list(Level.values())}},
            },
        },
        "journey_stages": {"type": "array", "minItems": 1, "items": _named()},
        "response_types": {"type": "array", "minItems": 1, "items": _named()},
        "target_groups": {"type": "array", "items": _named()},
        "domains": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "code", "level", "name", "description", "recording_prompts",
                    "supervision_prompts", "example_barriers", "responses", "evidence",
                ],
                "properties": {
                    "code": {"type": "string", "pattern": rf"^({'|'.join(Level.values())})\.[a-z0-9]+(-[a-z0-9]+)*$"},
                    "level": {"enum": list(Level.values())},
                    "name": _TEXT,
                    "description": _TEXT,
                    "recording_prompts": _TEXTS,
                    "supervision_prompts": _TEXTS,
                    "example_barriers": _TEXTS,
                    "example_enablers": {"type": "array", "items": _TEXT},
                    "responses": _TEXTS,
                    "evidence": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["source", "where"],
                            "properties": {"source": _TEXT, "where": _TEXT},
                        },
                    },
                },
            },
        },
        "triggers": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["indicator", "op", "value", "domain", "prompt"],
                "properties": {
                    "indicator": {"enum": list(Indicator.values())},
                    "op": {"enum": list(TriggerOp.values())},
                    "value": {"type": "number"},
                    "domain": _TEXT,
                    "prompt": _TEXT,
                },
            },
        },
    },
}
