"""The source format as a JSON Schema (draft 2020-12), generated from the model, for editors.

Pydantic writes the structure (keys, required keys, types, list lengths); what the model checks
in its validator functions (text, web addresses, language tags, dates) is written here as the
patterns that say the same, for each function the model uses: a function without one is an
error, so the schema cannot fall behind the model. Rules across fields (table shape, duplicate
headings, date order) and the project's size limits are `pipeline validate`'s alone.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import AfterValidator, BeforeValidator
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from pipeline import model
from pipeline.model import article, rules
from pipeline.source.validate import NOT_SOURCE_KEYS
from pipeline.text import labels

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _case_free(word: str) -> str:
    """A pattern matching `word` in any case: JSON Schema patterns take no flags."""
    return "".join(f"[{char.lower()}{char.upper()}]" if char.isalpha() else re.escape(char) for char in word)


_SCHEME = _case_free("http") + "[sS]?://"
_PORT = r"(?::0*(?:[0-9]{0,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
_HOST = r"(?:[^\s/?#@\[\]:]+|\[[0-9A-Fa-f:.]+\])"
_PRIVATE_HOST = (
    r"(?:" + _case_free("localhost")
    + r"|[^\s/?#@:.\[\]]+|[^\s/?#@:\[\]]*\.(?:" + "|".join(map(_case_free, ("localhost", "local", "internal"))) + r")"
    + r"|(?:127|10|0)\.[0-9.]+|192\.168\.[0-9.]+|169\.254\.[0-9.]+|172\.(?:1[6-9]|2[0-9]|3[01])\.[0-9.]+)\.?(?=[:/?#]|$)"
)  # fmt: skip
"""Hosts patients cannot reach: a subset of what `rules.url_problem` refuses."""
_LINK_TARGET = r"[^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"
_LINK = r"\[[^\[\]\n]+\]\("
_FORBIDDEN = r"[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uE000-\uF8FF\uFDD0-\uFDEF\uFEFF\uFFFE\uFFFF]"
"""The characters `rules.forbidden_character` refuses, in the Basic Multilingual Plane."""


def _url(description: str) -> JsonSchemaValue:
    return {
        "type": "string",
        "description": description,
        "maxLength": 2000,
        "allOf": [{"pattern": f"^{_SCHEME}{_HOST}{_PORT}(?:[/?#]\\S*)?$"}, {"not": {"pattern": f"^{_SCHEME}{_PRIVATE_HOST}"}}],
    }


def _text(description: str) -> JsonSchemaValue:
    return {
        "type": "string",
        "description": description,
        "allOf": [
            {"pattern": r"\S"},
            {"not": {"pattern": _FORBIDDEN}},
            {"not": {"pattern": "!" + _LINK + _LINK_TARGET}},
            {"not": {"pattern": _LINK + f"(?!{_SCHEME})" + _LINK_TARGET}},
            {"not": {"pattern": _LINK + _SCHEME + _PRIVATE_HOST}},
        ],
    }


def _language_tag(description: str) -> JsonSchemaValue:
    pattern = re.sub(r"([a-z])-([a-z])", lambda found: f"{found[0]}{found[1].upper()}-{found[2].upper()}", rules.LANGUAGE_TAG.pattern)
    pattern = pattern.replace("-x(", "-[xX](")  # the private-use singleton
    return {"type": "string", "description": description, "pattern": pattern}


def _date(description: str) -> JsonSchemaValue:
    return {"type": "string", "description": description, "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


_SETTING = [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]

Declared = Mapping[str, Mapping[str, tuple[str, tuple[str, ...]]]]
"""The installed renderers' options: renderer -> option name -> (help, choices)."""


def _option_value(description: str) -> JsonSchemaValue:
    renderer = {"type": "object", "minProperties": 1, "additionalProperties": {"anyOf": _SETTING}}
    return {"description": description, "anyOf": [*_SETTING, renderer]}


def _options(declared: Declared) -> JsonSchemaValue:
    """`options:` as the installed renderers declare them: a shared name takes a value every
    renderer declaring it accepts; a renderer's table, its own options."""
    owners: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for options in declared.values():
        for key, declaration in options.items():
            owners.setdefault(key, []).append(declaration)
    shared = {key: _option(found[0][0], [choices for _help, choices in found if choices]) for key, found in owners.items()}
    own = {
        renderer: {
            "description": labels.RENDERER_OPTIONS.format(renderer=renderer),
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {key: _option(help_, [choices] if choices else []) for key, (help_, choices) in options.items()},
        }
        for renderer, options in declared.items()
        if options
    }
    return {"description": labels.KEYS["Article"]["options"], "type": "object", "additionalProperties": False, "properties": {**shared, **own}}


def _option(help_: str, choice_sets: list[tuple[str, ...]]) -> JsonSchemaValue:
    if not choice_sets:
        return {"description": help_, "anyOf": _SETTING}
    allowed = [choice for choice in choice_sets[0] if all(choice in choices for choices in choice_sets)]
    return {"description": help_, "enum": allowed}


def _validator(annotated: Any) -> Callable[..., Any]:
    """The function an annotated type of the model validates with."""
    return next(item.func for item in typing.get_args(annotated)[1:] if isinstance(item, (AfterValidator, BeforeValidator)))


_KINDS: dict[Callable[..., Any], tuple[str, Callable[[str], JsonSchemaValue], str]] = {
    _validator(article.Text): ("Text", _text, labels.TEXT),
    _validator(article.Url): ("Url", _url, labels.URL),
    _validator(article.LanguageTag): ("LanguageTag", _language_tag, labels.LANGUAGE_TAG),
    _validator(article.Date): ("Date", _date, labels.DATE),
    _validator(article.OptionValue): ("OptionValue", _option_value, labels.OPTION_VALUE),
}


_KIND = "pipeline-kind"
"""Marks a value checked by one of the model's functions, until it is a reference to its
definition (pydantic resolves references of its own while generating)."""


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with the model's validator functions written as patterns."""

    def function_after_schema(self, schema: core_schema.AfterValidatorFunctionSchema) -> JsonSchemaValue:
        return self._kind(schema["function"]["function"])

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        return self._kind(schema["function"]["function"])

    def _kind(self, function: Callable[..., Any]) -> JsonSchemaValue:
        if function not in _KINDS:
            raise LookupError(f"the model validates with {function.__qualname__}, which pipeline/schema.py cannot express: add it to _KINDS")
        return {_KIND: _KINDS[function][0]}

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def source_schema(declared: Declared | None = None) -> dict[str, Any]:
    """The JSON Schema of a source file: the model's, less the id (the file name), described;
    with the installed renderers' options (`declared`), `options:` names only those."""
    generated = model.Article.model_json_schema(by_alias=True, schema_generator=_Generator)
    for key in NOT_SOURCE_KEYS:
        generated["properties"].pop(key)
    generated["required"] = [key for key in generated["required"] if key not in NOT_SOURCE_KEYS]
    definitions = _used(generated, generated.pop("$defs"))
    definitions["Article"] = generated
    for name, definition in definitions.items():
        definition.pop("title", None)
        for key, value in definition["properties"].items():
            value["description"] = labels.KEYS[name][key]
    for name, make, description in _KINDS.values():
        definitions[name] = make(description)
    article = _referenced(definitions.pop("Article"))
    definitions = {name: _referenced(definition) for name, definition in definitions.items()}
    if declared is not None:
        article["properties"]["options"] = _options(declared)
    return {"$schema": DIALECT, "title": labels.SCHEMA_TITLE, "description": labels.SCHEMA_DESCRIPTION, **article, "$defs": definitions}


def _used(root: JsonSchemaValue, definitions: dict[str, JsonSchemaValue]) -> dict[str, JsonSchemaValue]:
    """The definitions `root` refers to, directly or through each other (not the build's own)."""
    used: dict[str, JsonSchemaValue] = {}
    waiting = [root]
    while waiting:
        for name in re.findall(r'"\$ref": "#/\$defs/(\w+)"', json.dumps(waiting.pop())):
            if name not in used:
                used[name] = definitions[name]
                waiting.append(definitions[name])
    return used


def _referenced(node: Any) -> Any:
    if isinstance(node, dict):
        return {("$ref" if key == _KIND else key): (f"#/$defs/{value}" if key == _KIND else _referenced(value)) for key, value in node.items()}
    if isinstance(node, list):
        return [_referenced(item) for item in node]
    return node


def as_json(declared: Declared | None = None) -> str:
    return json.dumps(source_schema(declared), indent=2, ensure_ascii=False) + "\n"
