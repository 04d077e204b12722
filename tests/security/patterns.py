"""Every URL pattern Django can resolve, walked from the root URLconf, as (route, name) pairs.

A route is the full pattern text from the root ("cases/<str:reference>/", or a regex
for ``re_path``); the isolation matrix is keyed by it, so a new pattern anywhere,
admin and API included, is a key the matrix does not know yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str  # "namespace:name", or "" for an unnamed pattern

    def __str__(self) -> str:
        return f"{self.route!r} ({self.name or 'unnamed'})"


def all_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for item in patterns:
            if isinstance(item, URLResolver):
                inner = f"{namespace}:{item.namespace}" if namespace and item.namespace else (
                    item.namespace or namespace)
                walk(item.url_patterns, prefix + str(item.pattern), inner or "")
            elif isinstance(item, URLPattern):
                name = f"{namespace}:{item.name}" if namespace and item.name else (item.name or "")
                found.append(Pattern(prefix + str(item.pattern), name))

    walk(get_resolver().url_patterns, "", "")
    return found
