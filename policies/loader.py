"""Reading and validating policy files.

Loading is all-or-nothing: every file in the folder is parsed and validated
before anything is used, and a bad file is reported with its path, the key
that is wrong and why. A half-read policy set never reaches the database or
the deadline engine.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from pydantic import ValidationError

from policies.schema import Policy


@dataclass(frozen=True)
class PolicyProblem:
    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}"


class PolicyFileError(Exception):
    """One or more policy files are invalid; ``problems`` lists each one."""

    def __init__(self, problems: list[PolicyProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class LoadedPolicy:
    policy: Policy
    path: Path
    content: dict
    sha256: str


def _key_path(loc: tuple) -> str:
    key = ""
    for part in loc:
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            key += f".{part}" if key else str(part)
    return key or "(file)"


def canonical_json(content: dict) -> str:
    return json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))


def read_policy_file(path: Path) -> LoadedPolicy:
    name = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise PolicyFileError([PolicyProblem(name, "(file)", f"not UTF-8 text: {exc}")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError([PolicyProblem(name, "(syntax)", str(exc))]) from exc
    try:
        policy = Policy.model_validate(raw)
    except ValidationError as exc:
        problems = [PolicyProblem(name, _key_path(err["loc"]), err["msg"]) for err in exc.errors()]
        raise PolicyFileError(problems) from exc
    if path.stem != policy.slug:
        raise PolicyFileError(
            [PolicyProblem(name, "slug", f"slug {policy.slug!r} does not match the file name {path.name!r}")]
        )
    content = policy.model_dump(mode="json", by_alias=True)
    digest = hashlib.sha256(canonical_json(content).encode()).hexdigest()
    return LoadedPolicy(policy=policy, path=path, content=content, sha256=digest)


def read_policy_dir(directory: Path | None = None) -> dict[str, LoadedPolicy]:
    """Every ``*.toml`` policy in the folder, or PolicyFileError listing every problem found."""
    directory = Path(directory or settings.POLICY_DIR)
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise PolicyFileError([PolicyProblem(str(directory), "(folder)", "no *.toml policy files found")])
    loaded: dict[str, LoadedPolicy] = {}
    problems: list[PolicyProblem] = []
    for path in paths:
        try:
            item = read_policy_file(path)
        except PolicyFileError as exc:
            problems.extend(exc.problems)
            continue
        loaded[item.policy.slug] = item
    prefixes: dict[str, str] = {}
    for slug, item in loaded.items():
        prefix = item.policy.reference_prefix
        if prefix in prefixes:
            problems.append(PolicyProblem(str(item.path), "reference_prefix",
                                          f"{prefix!r} is already used by {prefixes[prefix]!r}"))
        prefixes[prefix] = slug
    if problems:
        raise PolicyFileError(problems)
    return loaded


@lru_cache(maxsize=4)
def _cached_registry(directory: str) -> dict[str, Policy]:
    return {slug: item.policy for slug, item in read_policy_dir(Path(directory)).items()}


def policy_registry(directory: Path | None = None) -> dict[str, Policy]:
    """The current policy files, validated once per process and cached."""
    return _cached_registry(str(directory or settings.POLICY_DIR))


def policy_from_content(content: dict) -> Policy:
    """A stored snapshot back into a Policy (cases keep the version they were received under)."""
    return Policy.model_validate(content)
