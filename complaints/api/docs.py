"""/api/docs/: the API reference rendered on the server from the OpenAPI schema.

Swagger UI and ReDoc both load their JavaScript from a CDN unless the sidecar
package ships it; this page needs no third-party asset: it is plain HTML built
from the same schema as /api/schema/.
"""

from __future__ import annotations

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ["get", "post", "put", "patch", "delete"]


def _schema_name(content: dict | None) -> str:
    """The component a body or answer carries (JSON, else the first media type, e.g. a multipart upload)."""
    content = content or {}
    entry = content.get("application/json") or next(iter(content.values()), {})
    schema = entry.get("schema") or {}
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref") or ""
    name = ref.rsplit("/", 1)[-1]
    return f"[{name}]" if schema.get("type") == "array" else name


def _media_types(content: dict | None) -> str:
    return ", ".join(content or {})


def _fields(component: dict) -> list[dict]:
    required = set(component.get("required", []))
    rows = []
    for name, prop in (component.get("properties") or {}).items():
        kind = prop.get("type") or (prop.get("$ref") or "").rsplit("/", 1)[-1] or "object"
        if prop.get("enum"):
            kind += ": " + ", ".join(str(v) for v in prop["enum"] if v not in ("", None))
        if prop.get("format"):
            kind += f" ({prop['format']})"
        rows.append({"name": name, "type": kind, "required": name in required,
                     "description": prop.get("description", "")})
    return rows


def api_docs(request):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body_content = (op.get("requestBody") or {}).get("content")
            body = _schema_name(body_content)
            ok = next((code for code in op["responses"] if code.startswith("2")), "")
            ok_content = op["responses"].get(ok, {}).get("content")
            operations.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "id": op.get("operationId", ""), "tag": (op.get("tags") or [""])[0],
                "parameters": op.get("parameters", []),
                "body": body, "body_fields": _fields(components.get(body, {})) if body else [],
                "body_type": _media_types(body_content),
                "ok": ok, "ok_schema": _schema_name(ok_content), "ok_type": _media_types(ok_content),
                "errors": [code for code in op["responses"] if not code.startswith("2")],
            })
    return render(request, "api/docs.html", {"info": schema.get("info", {}), "operations": operations})
