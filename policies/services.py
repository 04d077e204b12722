"""Loading policy files into the database: the only writer of Council and PolicyVersion."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from policies.loader import read_policy_dir
from policies.models import Council, PolicyVersion


class PolicyVersionConflict(Exception):
    """A loaded version id now has different content: a changed file needs a new version id."""


@dataclass(frozen=True)
class LoadOutcome:
    slug: str
    version_id: str
    status: str  # "created" or "unchanged"


@transaction.atomic
def policies_load(*, directory: Path | None = None) -> list[LoadOutcome]:
    """Validate every policy file, then record new versions; idempotent, all-or-nothing."""
    loaded = read_policy_dir(directory)
    outcomes: list[LoadOutcome] = []
    for slug, item in sorted(loaded.items()):
        policy = item.policy
        council, _ = Council.objects.update_or_create(
            slug=slug,
            defaults={
                "name": policy.name,
                "short_name": policy.short_name,
                "reference_prefix": policy.reference_prefix,
            },
        )
        existing = PolicyVersion.objects.filter(council=council, version_id=policy.version.id).first()
        if existing is not None:
            if existing.sha256 != item.sha256:
                raise PolicyVersionConflict(
                    f"{item.path}: version.id: version {policy.version.id!r} of {slug} is already loaded "
                    "with different content; give the changed policy a new version id and effective_from"
                )
            outcomes.append(LoadOutcome(slug, policy.version.id, "unchanged"))
            continue
        clash = PolicyVersion.objects.filter(council=council, effective_from=policy.version.effective_from).first()
        if clash is not None:
            raise PolicyVersionConflict(
                f"{item.path}: version.effective_from: {slug} version {clash.version_id!r} already takes effect "
                f"on {policy.version.effective_from.isoformat()}"
            )
        PolicyVersion.objects.create(
            council=council,
            version_id=policy.version.id,
            effective_from=policy.version.effective_from,
            content=item.content,
            sha256=item.sha256,
            source_file=item.path.name,
        )
        outcomes.append(LoadOutcome(slug, policy.version.id, "created"))
    return outcomes
