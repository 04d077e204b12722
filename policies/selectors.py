"""Reads of councils and their policy versions."""

from __future__ import annotations

import datetime as dt

from policies.models import Council, PolicyVersion


class NoPolicyInForce(LookupError):
    """No policy version of this council had taken effect on the date asked about."""


def policy_version_in_force(*, council: Council, on: dt.date) -> PolicyVersion:
    """The version a case received on ``on`` is handled under: the latest one effective by then.

    Its content (a large document) is not fetched: ``version.policy`` is shared per process
    (``policies.snapshots``), and reading ``version.content`` still works, with one more query."""
    version = (
        PolicyVersion.objects.defer("content").filter(council=council, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        raise NoPolicyInForce(f"{council.slug} has no policy version in force on {on.isoformat()}")
    return version


def current_policies(*, on: dt.date | None = None) -> list[PolicyVersion]:
    """The version in force today for every council that has one, ordered by council name."""
    on = on or dt.date.today()
    versions = []
    for council in Council.objects.order_by("name"):
        try:
            versions.append(policy_version_in_force(council=council, on=on))
        except NoPolicyInForce:
            continue
    return versions
