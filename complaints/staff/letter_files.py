"""The letter template files, as the admin lists them: which file each council's letters are written from.

Letters are written from ``templates/letters/<council slug>/<kind>.txt`` where
the council has its own, else ``templates/letters/default/<kind>.txt``
(complaints.services.letters). The files are part of the deployment, changed
by a release, never in the admin: this module only reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from policies.models import Council

DEFAULT = "default"
EXTENDS = re.compile(r'^\{%\s*extends\s+"letters/([\w-]+)/(\w+)\.txt"\s*%\}')


def letters_dir() -> Path:
    return Path(settings.BASE_DIR) / "templates" / "letters"


@dataclass(frozen=True)
class LetterFile:
    folder: str  # "default" or a council's slug
    kind: str  # the file name without .txt: acknowledgement, stage_response, ...
    used_by: tuple[str, ...]  # names of the councils whose letters of this kind come from this file
    base_of: tuple[str, ...] = ()  # the files that extend this one (fill in its blocks)

    @property
    def path(self) -> Path:
        return letters_dir() / self.folder / f"{self.kind}.txt"

    @property
    def name(self) -> str:
        return f"letters/{self.folder}/{self.kind}.txt"

    @property
    def kind_label(self) -> str:
        return self.kind.replace("_", " ").capitalize()

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def extends(self) -> tuple[str, str] | None:
        """(folder, kind) of the template this one extends (fills in blocks of), if any."""
        match = EXTENDS.match(self.text())
        return (match.group(1), match.group(2)) if match else None

    @property
    def subject(self) -> str:
        first = self.text().split("\n", 1)[0]
        if first.startswith("Subject:"):
            return first.removeprefix("Subject:").strip()
        parent = self.extends
        if parent is not None and (letters_dir() / parent[0] / f"{parent[1]}.txt").is_file():
            return LetterFile(*parent, used_by=()).subject
        return ""


def _files() -> dict[str, list[str]]:
    """{folder: [kind, ...]} of the .txt files on disk, sorted."""
    root = letters_dir()
    if not root.is_dir():
        return {}
    return {folder.name: sorted(path.stem for path in folder.glob("*.txt") if path.is_file())
            for folder in sorted(root.iterdir()) if folder.is_dir()}


def letter_files(council: Council | None = None) -> list[LetterFile]:
    """Every template file with the councils that use it.

    For one council: only the files its letters use, and the files those extend.
    """
    files = _files()
    councils = list(Council.objects.order_by("name")) if council is None else [council]
    every = {}
    for folder, kinds in files.items():
        for kind in kinds:
            if folder == DEFAULT:
                users = [c for c in councils if kind not in files.get(c.slug, [])]
            else:
                users = [c for c in councils if c.slug == folder]
            every[(folder, kind)] = LetterFile(folder, kind, tuple(c.name for c in users))
    parents = {key: item.extends for key, item in every.items()}
    every = {key: LetterFile(*key, item.used_by, tuple(sorted(every[child].name for child, parent in parents.items()
                                                             if parent == key)))
             for key, item in every.items()}
    if council is None:
        shown = set(every)
    else:
        shown = {key for key, item in every.items() if item.used_by}
        todo = list(shown)
        while todo:
            parent = parents[todo.pop()]
            if parent in every and parent not in shown:
                shown.add(parent)
                todo.append(parent)
    return sorted((every[key] for key in shown), key=lambda f: (f.kind, f.folder != DEFAULT, f.folder))


def letter_file(folder: str, kind: str, council: Council | None = None) -> LetterFile | None:
    """One of the files ``letter_files`` lists for this council (or anyone), by folder and kind; None otherwise."""
    for item in letter_files(council):
        if (item.folder, item.kind) == (folder, kind):
            return item
    return None
