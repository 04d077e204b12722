"""The council, its policy in force today and its service areas, as every public page needs them.

A resident's journey is some 26 requests, and each page needs the council, the policy version in
force (which questions apply, the wording) and the council's service areas (whether the service
question applies). They change rarely (a policy file loaded, a service area added in the admin),
so each process keeps them for ``PUBLIC_BODY_CACHE_SECONDS`` (60 by default) per council and
London day, and most pages make no query at all:

* the version in force is the same choice as ``policies.selectors.policy_version_in_force`` (the
  latest version effective by today); the day is part of the key, so a version taking effect
  tomorrow is used from the first request tomorrow;
* its validated policy comes from ``policies.snapshots`` (read and validated once per version);
* a change saved through the ORM in this process (``load_policies``, the admin) empties this
  process's cache at once; other processes see it within the cache lifetime;
* what a resident sends is checked against the database, not this cache: the complaint is
  recorded under the version in force when it is received (``complaint_create``), and the
  chosen service area is read again as the form is sent.

A council with no version in force is not kept (its pages are "not found", and random addresses
must not fill the cache).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.shortcuts import get_object_or_404

from complaints.models import ServiceArea
from complaints.public import clock
from policies.models import Council, PolicyVersion
from policies.schema import Policy

MAX_ENTRIES = 64


@dataclass(frozen=True)
class Body:
    """What the public pages know about one council on one day. Shared between requests: read only."""

    council: Council
    version_id: int
    policy: Policy
    service_areas: tuple[ServiceArea, ...]


_bodies: dict[tuple[str, dt.date], tuple[float, Body]] = {}


def lifetime() -> float:
    return float(getattr(settings, "PUBLIC_BODY_CACHE_SECONDS", 60))


def _read(slug: str, today: dt.date) -> Body:
    version = (PolicyVersion.objects.select_related("council").defer("content")
               .filter(council__slug=slug, effective_from__lte=today).order_by("-effective_from").first())
    if version is None:
        get_object_or_404(Council, slug=slug)
        raise Http404("No complaints policy is in force for this body")
    areas = tuple(ServiceArea.objects.filter(council_id=version.council_id).order_by("name"))
    return Body(council=version.council, version_id=version.pk, policy=version.policy, service_areas=areas)


def public_body(slug: str) -> Body:
    """The council at ``slug`` with its policy in force today and its service areas; Http404 without them."""
    key = (slug, clock.today())
    now = time.monotonic()
    cached = _bodies.get(key)
    if cached is not None and now - cached[0] < lifetime():
        return cached[1]
    body = _read(slug, key[1])
    if len(_bodies) >= MAX_ENTRIES:
        _bodies.clear()
    _bodies[key] = (now, body)
    return body


def forget_bodies(**_kwargs) -> None:
    """Empty this process's cache (a council, policy version or service area changed)."""
    _bodies.clear()


def forget_bodies_on_change() -> None:
    """Connected once, from the app's ``ready()``."""
    for model in (Council, PolicyVersion, ServiceArea):
        post_save.connect(forget_bodies, sender=model, dispatch_uid=f"public-bodies-save-{model.__name__}")
        post_delete.connect(forget_bodies, sender=model, dispatch_uid=f"public-bodies-delete-{model.__name__}")
