"""Validated policies of stored versions, once per process: the one cache every screen shares.

A ``PolicyVersion`` is a frozen snapshot of a policy file (its ``sha256`` is the digest of the
content, and loading different content under a loaded version id is refused), and a ``Policy`` is
a frozen model, so a process validates a version's content once and every request, thread and
screen (the public form, the officers' case list, the deadline sweeps) shares the result. Keyed by
(version id, sha256), so a row whose content were ever replaced would be read again. Bounded: the
cache is emptied when it holds ``MAX_VERSIONS`` versions (a deployment has a handful).
"""

from __future__ import annotations

import threading

from policies.loader import policy_from_content
from policies.schema import Policy

MAX_VERSIONS = 64

_policies: dict[tuple[int, str], Policy] = {}
_lock = threading.Lock()


def policy_of_version(version_id: int, sha256: str, content: dict | None = None) -> Policy:
    """The validated policy of a stored version; its content is read from the database only on a miss
    (pass ``content`` when the row was fetched with it, to save that query)."""
    key = (version_id, sha256)
    policy = _policies.get(key)
    if policy is not None:
        return policy
    if content is None:
        from policies.models import PolicyVersion

        content = PolicyVersion.objects.values_list("content", flat=True).get(pk=version_id)
    policy = policy_from_content(content)
    with _lock:
        if len(_policies) >= MAX_VERSIONS:
            _policies.clear()
        _policies[key] = policy
    return policy


def forget_policies() -> None:
    """Empty the cache (tests that count validations start from nothing)."""
    with _lock:
        _policies.clear()
