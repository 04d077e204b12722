"""The OpenAPI contract: the token scheme, and the error answers every operation can give.

drf-spectacular documents the successful answers from the views; the hook adds
the errors (all in the one Error shape) so a client, and the fuzzer that tests
the contract, knows every status an operation may return.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "A stable code: invalid, not_found, stale, "
                                                   "transition_not_allowed, policy_guard, throttled ..."},
        "detail": {"type": "string", "description": "What went wrong, for a person to read."},
        "fields": {"type": "object", "additionalProperties": True,
                   "description": "For invalid input: the messages for each field."},
    },
    "required": ["error", "detail"],
}

COMMON = {
    "400": "Invalid input (see fields), query parameter or cursor",
    "401": "No credentials, or an invalid or revoked token",
    "403": "Signed in, but not set up for a council",
    "404": "No such record in the caller's council (another council's records are not found either)",
    "405": "Method not allowed",
    "406": "Only JSON is served",
    "429": "Too many requests for this token; retry after the Retry-After seconds",
}
WRITE = {
    "409": "Refused: the case's state or the council's policy does not allow it, or the case changed "
           "since the given version (error 'stale')",
    "415": "Unsupported request body type: send JSON (multipart/form-data for file uploads)",
}


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "complaints.api.authentication.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An integration token from `manage.py create_api_token --council SLUG --name NAME`."}


def document_errors(result, generator, request, public):
    """Postprocessing hook: the Error component, one shared response per error status, on every operation."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    shared = components.setdefault("responses", {})
    for code, description in {**COMMON, **WRITE}.items():
        shared[f"Error{code}"] = {"description": description, "content": content}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            codes = [*COMMON, *(WRITE if method in {"post", "put", "patch", "delete"} else [])]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"$ref": f"#/components/responses/Error{code}"})
    return result
