"""API plumbing shared by every app: the session login, errors, common schemas.

Personal API tokens are the organisations app's (``organisations.auth``); the
project's API root (``missionsafety.api``) puts both together.
"""

from typing import Annotated, Any

import orjson
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.openapi import schema as openapi_schema
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security.session import SessionAuth
from pydantic import field_validator
from pydantic.json_schema import CoreModeRef, DefsRef

from missionsafety.core.text import CONTROL_MESSAGE, control_character_paths


class Session(SessionAuth):
    """The browser's session cookie (CSRF checked on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", AnonymousUser())
        if user.is_authenticated and user.is_active:
            return user
        return None


# Error messages of the API (in the catalogue of this app).
NOT_FOUND = _("Not found.")
NOT_ALLOWED = _("Not allowed.")
UNAUTHENTICATED = _("Authentication required: a valid token or session.")


class InSchema(Schema):
    """A request body or query: text holding a control character answers 422."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if control_character_paths(value):
            raise ValueError(str(CONTROL_MESSAGE))
        return value


class TextParser(Parser):
    """Query and form parameters with a control character answer 422 by name
    (request bodies are checked by ``InSchema``)."""

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: Any
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        bad = control_character_paths(result)
        if bad:
            raise ValidationError({name: [CONTROL_MESSAGE] for name in bad})
        return result


class OrjsonRenderer(BaseRenderer):
    """JSON through orjson: the same text as Django's encoder for dates, times,
    decimals and lazy strings (those go through it), several times faster for
    the lists that make up most of the API's work."""

    media_type = "application/json"
    _fallback = NinjaJSONEncoder()
    _options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return orjson.dumps(data, default=self._fallback.default, option=self._options)


class ErrorOut(Schema):
    detail: Any


class ConflictOut(Schema):
    detail: str
    current_version: int | None = None


def api_user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


# A reference to a stored object: a positive 64-bit integer, as the databases
# store keys (a larger one would fail in SQL instead of answering 422).
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]

# Beyond any list the product holds, and far below the 2^63 that databases take
# as an OFFSET (a larger one is refused with 422 instead of failing in SQL).
MAX_OFFSET = 1_000_000_000


class Paging(LimitOffsetPagination):
    """``?limit=&offset=`` with an offset the database can take."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class UniqueNames(NinjaGenerateJsonSchema):
    """Name a schema component after its class *and* the classes it is nested in.

    Django nests choices in their model (``Control.Kind``, ``Thread.Kind``);
    named ``Kind`` alone, the components of different apps overwrote each other
    in the OpenAPI document (django-ninja merges every model's definitions by
    name), so fields documented another model's values. ``ControlKind`` and
    ``ThreadKind`` cannot collide.
    """

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        defs_ref = super().get_defs_ref(core_mode_ref)
        core_ref, mode = core_mode_ref
        if "[" in core_ref:  # generic types keep pydantic's names
            return defs_ref
        dotted = core_ref.rsplit(":", 1)[0].split(".")
        classes: list[str] = []
        for part in reversed(dotted):
            if not part[:1].isupper():
                break
            classes.insert(0, part)
        if len(classes) < 2:
            return defs_ref
        name = self.normalize_name("".join(classes))
        choices = self._prioritized_defsref_choices[defs_ref]
        choices[:2] = [
            DefsRef(name),
            DefsRef(f"{name}-{'Input' if mode == 'validation' else 'Output'}"),
        ]
        return defs_ref


# django-ninja builds its OpenAPI document with the generator its module names.
openapi_schema.NinjaGenerateJsonSchema = UniqueNames  # type: ignore[misc]
