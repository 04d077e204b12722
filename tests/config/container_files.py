"""What the container files' tests share: the files, compose's variable substitution, shell and
command-line parsing, (the fixtures for docker-compose.yml as written and as resolved are in conftest.py).

There is no container engine in CI, so nothing starts a container: every name the container files
rely on is checked against the code instead (tests/config/test_docker_compose.py, test_dockerfile.py).
"""

import importlib
import importlib.metadata
import importlib.util
import json
import re
import shlex
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
LOCK_FILE = ROOT / "requirements.lock"

APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING_APP_SERVICES = ("web", "worker", "beat")
HEALTHCHECKED_SERVICES = ("postgres", "redis", "web")
WSGI_TARGET = "config.wsgi:application"

# Values for the variables compose must be given; the tests never read the real environment.
INTERPOLATION_ENV = {"POSTGRES_PASSWORD": "pg-test-password", "SECRET_KEY": "compose-test-secret"}


# --- Helpers ------------------------------------------------------------------------------


class MissingVariable(Exception):
    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name


_INTERPOLATION = re.compile(
    r"\$\$"
    r"|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


def interpolate(value, env: dict[str, str]):
    """Compose's variable substitution (``${X}``, ``${X:-d}``, ``${X-d}``, ``${X:?e}``, ``$$``)."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("name") or match.group("bare")
        op, arg = match.group("op"), match.group("arg")
        current = env.get(name)
        missing = current is None or (current == "" and op is not None and op.startswith(":"))
        if op in (":-", "-"):
            return arg if missing else current
        if op in (":?", "?"):
            if missing:
                raise MissingVariable(name, arg)
            return current
        if op in (":+", "+"):
            return "" if missing else arg
        return current or ""

    return _INTERPOLATION.sub(substitute, value)


def shell_commands(text: str) -> list[list[str]]:
    """Split shell text into simple commands (argv lists), dropping leading VAR=value words."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    commands, current = [], []
    for token in lexer:
        if token in {"&&", "||", ";", "|", "&"}:
            commands.append(current)
            current = []
        else:
            current.append(token)
    commands.append(current)
    stripped = []
    for argv in commands:
        while argv and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", argv[0]):
            argv = argv[1:]
        if argv:
            stripped.append(argv)
    return stripped


def command_argvs(command) -> list[list[str]]:
    """The simple commands a compose ``command`` runs (looking inside ``sh -c``)."""
    if isinstance(command, str):
        return shell_commands(command)
    assert isinstance(command, list) and command, f"unexpected command {command!r}"
    if Path(command[0]).name in {"sh", "bash"} and len(command) >= 3 and command[1] == "-c":
        return shell_commands(command[2])
    return [list(command)]


def manage_py_subcommands(argvs: list[list[str]]) -> list[str]:
    found = []
    for argv in argvs:
        for index, word in enumerate(argv):
            if PurePosixPath(word).name == "manage.py":
                assert index + 1 < len(argv), f"manage.py without a sub-command in {argv}"
                assert Path(argv[0]).name.startswith("python"), (
                    f"manage.py not run by python: {argv}"
                )
                found.append(argv[index + 1])
    return found


def environment_of(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def parse_gunicorn(argv: list[str]):
    from gunicorn.config import Config

    assert Path(argv[0]).name == "gunicorn", argv
    return Config(prog="gunicorn").parser().parse_args(argv[1:])


def load_wsgi_target(target: str):
    module_name, sep, attribute = target.partition(":")
    assert sep and module_name and attribute, f"{target!r} is not module:attribute"
    module = importlib.import_module(module_name)
    assert hasattr(module, attribute), f"{module_name} has no attribute {attribute!r}"
    return getattr(module, attribute)


def parse_celery(argv: list[str]):
    """Parse ``celery ...`` with Celery's own click CLI; return (app, sub-command, params)."""
    from celery.app.utils import find_app
    from celery.bin.base import CLIContext
    from celery.bin.celery import celery

    assert Path(argv[0]).name == "celery", argv
    ctx = celery.make_context("celery", list(argv[1:]))
    assert ctx.params.get("app"), f"no -A/--app in {argv}"
    app = find_app(ctx.params["app"])
    protected = getattr(ctx, "_protected_args", None)
    if protected is None:
        protected = ctx.protected_args
    name, command, rest = celery.resolve_command(ctx, [*protected, *ctx.args])
    ctx.obj = CLIContext(app=app, no_color=True, workdir=None)
    sub_ctx = command.make_context(name, rest, parent=ctx)
    return app, name, sub_ctx.params


def dockerfile_instructions() -> list[tuple[str, str]]:
    instructions, logical = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or (not logical and not stripped):
            continue
        if stripped.endswith("\\"):
            logical += stripped[:-1] + " "
            continue
        logical += stripped
        keyword, _, rest = logical.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
        logical = ""
    assert not logical, "Dockerfile ends inside a continued line"
    return instructions


def dockerfile_env() -> dict[str, str]:
    env = {}
    for keyword, rest in dockerfile_instructions():
        if keyword != "ENV":
            continue
        words = shlex.split(rest)
        if "=" not in words[0]:
            env[words[0]] = rest.split(None, 1)[1]
        else:
            env.update(word.split("=", 1) for word in words)
    return env


def dockerfile_runs() -> list[list[list[str]]]:
    runs = []
    for keyword, rest in dockerfile_instructions():
        if keyword == "RUN":
            runs.append([json.loads(rest)] if rest.startswith("[") else shell_commands(rest))
    return runs


def dockerfile_cmd() -> list[str]:
    cmds = [rest for keyword, rest in dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "Dockerfile has no CMD"
    cmd = cmds[-1]
    assert cmd.startswith("["), "CMD should use the exec (JSON) form so gunicorn gets signals"
    return json.loads(cmd)


def locked_requirements() -> dict[str, str]:
    """Pinned distribution name (normalised) -> its block of text in requirements.lock."""
    blocks, name = {}, None
    for line in LOCK_FILE.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            blocks[name] = ""
        if name is not None:
            blocks[name] += line + "\n"
    return blocks


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule, enough for this file: a path is ignored when it or a parent matches."""
    parts = PurePosixPath(path).parts
    candidates = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        variants = {pattern, pattern[3:] if pattern.startswith("**/") else pattern}
        if any(fnmatch(candidate, variant) for candidate in candidates for variant in variants):
            ignored = not negate
    return ignored
