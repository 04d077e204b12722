"""docker-compose.yml, Dockerfile and .dockerignore against the project they run.

There is no container engine in CI, so nothing here starts a container. Instead
every name the container files rely on is checked against the code: the
gunicorn target imports, ``celery -A config`` finds the project's Celery app and
the worker/beat options parse with Celery's own CLI, every ``manage.py``
sub-command exists, the healthcheck URL resolves and the request the healthcheck
sends passes production's host and HTTPS rules.
"""

import importlib
import importlib.metadata
import importlib.util
import json
import re
import shlex
import sys
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
import yaml

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


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    """docker-compose.yml as written (anchors and merge keys resolved by YAML)."""
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def resolved(compose) -> dict:
    """docker-compose.yml after compose's variable substitution with test values."""
    return interpolate(compose, INTERPOLATION_ENV)


@pytest.fixture(scope="module")
def services(resolved) -> dict:
    return resolved["services"]


# --- Services, healthchecks, volumes --------------------------------------------------------


def test_all_services_are_declared(services):
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)


@pytest.mark.parametrize("name", HEALTHCHECKED_SERVICES)
def test_service_has_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable", False)
    test = healthcheck["test"]
    assert isinstance(test, list) and test[0] in {"CMD", "CMD-SHELL"}, test
    assert len(test) >= 2


def test_postgres_healthcheck_probes_the_configured_database(services):
    postgres = services["postgres"]
    test = postgres["healthcheck"]["test"]
    argv = test[1:] if test[0] == "CMD" else shlex.split(test[1])
    assert argv[0] == "pg_isready"
    env = environment_of(postgres)
    options = dict(zip(argv[1::2], argv[2::2], strict=True))
    user = options.get("--username", options.get("-U"))
    dbname = options.get("--dbname", options.get("-d"))
    assert user == env["POSTGRES_USER"]
    assert dbname == env["POSTGRES_DB"]


def test_redis_healthcheck_pings(services):
    test = services["redis"]["healthcheck"]["test"]
    argv = test[1:] if test[0] == "CMD" else shlex.split(test[1])
    assert argv == ["redis-cli", "ping"]


def test_images(services):
    assert services["postgres"]["image"].split(":") == ["postgres", "16"]
    assert services["redis"]["image"].split(":") == ["redis", "7"]


def test_pgdata_volume_is_declared_and_holds_postgres_data(resolved, services):
    assert "pgdata" in (resolved.get("volumes") or {})
    mounts = []
    for volume in services["postgres"].get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source"), volume.get("target")
        mounts.append((source, target))
    assert ("pgdata", "/var/lib/postgresql/data") in mounts


def test_every_dependency_condition_can_be_met(services):
    for name, service in services.items():
        depends_on = service.get("depends_on") or {}
        if isinstance(depends_on, list):
            continue
        for dependency, spec in depends_on.items():
            assert dependency in services, f"{name} depends on unknown service {dependency}"
            if spec["condition"] == "service_healthy":
                assert services[dependency].get("healthcheck"), f"{dependency} can never be healthy"
            if spec["condition"] == "service_completed_successfully":
                assert services[dependency].get("restart") == "no", f"{dependency} is not one-shot"


@pytest.mark.parametrize("name", LONG_RUNNING_APP_SERVICES)
def test_app_process_waits_for_databases_and_migrations(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_is_one_shot_and_waits_for_postgres(services):
    migrate = services["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


# --- Shared application configuration ---------------------------------------------------------


def test_app_services_share_one_configuration(compose):
    """The anchor: image, build, env_file and environment are the same object for all four."""
    shared_keys = ("image", "build", "env_file", "environment")
    shared = {key: compose["services"]["web"][key] for key in shared_keys}
    for name in APP_SERVICES:
        for key, value in shared.items():
            assert compose["services"][name][key] == value, f"{name}.{key} differs from web's"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment(services, name):
    service = services[name]
    env = environment_of(service)
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert importlib.util.find_spec(env["DJANGO_SETTINGS_MODULE"]) is not None
    assert env["SECRET_KEY"] == INTERPOLATION_ENV["SECRET_KEY"]
    assert env["ALLOWED_HOSTS"] == "localhost"
    assert env["VAR_DIR"] == "/var/lib/complaints"
    assert service["env_file"] == [{"path": ".env", "required": False}]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_database_url_points_at_the_postgres_service(services, name):
    postgres_env = environment_of(services["postgres"])
    url = urlsplit(environment_of(services[name])["DATABASE_URL"])
    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname in services and services[url.hostname]["image"].startswith("postgres")
    assert url.port == 5432
    assert url.username == postgres_env["POSTGRES_USER"]
    assert url.password == postgres_env["POSTGRES_PASSWORD"]
    assert url.password == INTERPOLATION_ENV["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == postgres_env["POSTGRES_DB"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_redis_url_points_at_the_redis_service(services, name):
    url = urlsplit(environment_of(services[name])["REDIS_URL"])
    assert url.scheme == "redis"
    assert url.hostname in services and services[url.hostname]["image"].startswith("redis")
    assert url.port == 6379


def test_secrets_are_required_references_not_values(compose):
    """SECRET_KEY and the database password are never written in the file, only required."""
    required_reference = re.compile(r"^\$\{(?P<name>[A-Z_]+):\?[^}]+\}$")
    seen = 0
    for name, service in compose["services"].items():
        for key, value in environment_of(service).items():
            if "SECRET" in key or "PASSWORD" in key:
                seen += 1
                match = required_reference.match(value)
                assert match, f"{name}.{key} must be ${{{key}:?...}}, not {value!r}"
        database_url = environment_of(service).get("DATABASE_URL")
        if database_url:
            assert re.search(r":\$\{POSTGRES_PASSWORD:\?[^}]+\}@", database_url), database_url
    assert seen >= 5  # SECRET_KEY in the four app services, POSTGRES_PASSWORD in postgres


@pytest.mark.parametrize("missing", sorted(INTERPOLATION_ENV))
def test_compose_refuses_to_start_without_a_secret(compose, missing):
    env = {key: value for key, value in INTERPOLATION_ENV.items() if key != missing}
    with pytest.raises(MissingVariable) as excinfo:
        interpolate(compose, env)
    assert excinfo.value.name == missing


# --- Commands refer to things that exist ---------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_executables_are_installed_by_the_lock(services, name):
    locked = locked_requirements()
    for argv in command_argvs(services[name]["command"]):
        executable = Path(argv[0]).name
        if executable.startswith("python"):
            continue  # the base image's interpreter
        scripts = importlib.metadata.entry_points(group="console_scripts", name=executable)
        assert scripts, f"no installed distribution provides {executable!r}"
        distribution = re.sub(r"[-_.]+", "-", next(iter(scripts)).dist.name).lower()
        assert distribution in locked, f"{executable} is from {distribution}, not in the lock"


def test_web_runs_gunicorn_on_the_project_wsgi_application(services):
    from django.core.handlers.wsgi import WSGIHandler

    (argv,) = command_argvs(services["web"]["command"])
    options = parse_gunicorn(argv)
    assert options.args == [WSGI_TARGET]
    assert options.bind == ["0.0.0.0:8000"]
    assert options.workers == 3
    assert options.accesslog == "-"
    assert isinstance(load_wsgi_target(options.args[0]), WSGIHandler)


def test_celery_dash_a_config_finds_the_project_app():
    from celery.app.utils import find_app

    import config.celery

    assert find_app("config") is config.celery.app


@pytest.mark.parametrize(("name", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_celery_service_runs_the_project_app(services, name, subcommand):
    import config.celery

    (argv,) = command_argvs(services[name]["command"])
    app, parsed_subcommand, params = parse_celery(argv)
    assert app is config.celery.app
    assert parsed_subcommand == subcommand
    assert params["loglevel"] == 20  # INFO


def test_beat_keeps_its_schedule_in_var_dir(services):
    (argv,) = command_argvs(services["beat"]["command"])
    _, _, params = parse_celery(argv)
    var_dir = environment_of(services["beat"])["VAR_DIR"]
    assert PurePosixPath(params["schedule"]).parent == PurePosixPath(var_dir)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_manage_py_subcommands_exist(services, name):
    from django.core.management import get_commands

    commands = get_commands()
    for subcommand in manage_py_subcommands(command_argvs(services[name]["command"])):
        assert subcommand in commands, f"{name}: manage.py {subcommand} is not a management command"


def test_migrate_service_migrates_then_loads_policies(services):
    argvs = command_argvs(services["migrate"]["command"])
    assert manage_py_subcommands(argvs) == ["migrate", "load_policies"]
    assert "--noinput" in argvs[0]
    shell = services["migrate"]["command"][2]
    assert re.search(r"migrate --noinput\s*&&\s*python manage.py load_policies", shell), (
        "load_policies must only run when migrate succeeded"
    )


def test_healthcheck_url_resolves_to_healthz_on_gunicorns_port(services):
    from django.urls import resolve

    from config.health import healthz

    test_text = " ".join(services["web"]["healthcheck"]["test"])
    urls = re.findall(r"https?://[^\s'\"]+", test_text)
    assert len(urls) == 1, urls
    url = urlsplit(urls[0])
    assert url.path == "/healthz"
    assert resolve(url.path).func is healthz
    (argv,) = command_argvs(services["web"]["command"])
    bind_port = int(parse_gunicorn(argv).bind[0].rsplit(":", 1)[1])
    assert url.port == bind_port


@pytest.mark.django_db
@pytest.mark.parametrize(
    "allowed_hosts", [None, "complaints.example.gov.uk", ".example.gov.uk,other", "*"]
)
def test_web_healthcheck_request_passes_production_host_and_https_rules(
    services, allowed_hosts, client, settings, monkeypatch
):
    """Run the healthcheck script, capture its request, replay it under production's rules.

    A bare GET of http://127.0.0.1:8000/healthz is refused by production settings
    (400 for an unknown Host, or a redirect to HTTPS), so the container would never
    turn healthy; the request the script sends must get the 200.
    """
    import urllib.request

    if allowed_hosts is None:
        allowed_hosts = environment_of(services["web"])["ALLOWED_HOSTS"]
    test = services["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    script = test[3]

    sent = []
    monkeypatch.setattr(
        urllib.request, "urlopen", lambda request, timeout=None: sent.append(request)
    )
    monkeypatch.setenv("ALLOWED_HOSTS", allowed_hosts)
    exec(compile(script, "web-healthcheck", "exec"), {"__name__": "__main__"})
    assert len(sent) == 1
    request = sent[0]

    # Production's own values, read the way the container reads them.
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    monkeypatch.delitem(sys.modules, "config.settings.production", raising=False)
    production = importlib.import_module("config.settings.production")
    monkeypatch.delitem(sys.modules, "config.settings.production", raising=False)
    settings.ALLOWED_HOSTS = production.ALLOWED_HOSTS
    settings.SECURE_SSL_REDIRECT = production.SECURE_SSL_REDIRECT
    settings.SECURE_PROXY_SSL_HEADER = production.SECURE_PROXY_SSL_HEADER
    assert settings.SECURE_SSL_REDIRECT is True

    path = urlsplit(request.full_url).path
    bare = client.get(path)
    assert bare.status_code != 200, "control: a request without the script's headers is refused"

    response = client.get(path, headers=dict(request.header_items()))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ok"


# --- Dockerfile and .dockerignore ----------------------------------------------------------


def test_dockerfile_base_image_and_settings():
    instructions = dockerfile_instructions()
    froms = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert froms and froms[-1].split()[0] == "python:3.11-slim", "the runtime stage is Python 3.11"
    env = dockerfile_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    for secret in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
        assert secret not in env, f"{secret} must not be baked into the image"


def test_dockerfile_builds_the_front_end_in_a_node_stage_and_copies_only_the_result():
    instructions = dockerfile_instructions()
    froms = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert froms[0].split() == ["node:20-slim", "AS", "assets"]
    runs = [rest for keyword, rest in instructions if keyword == "RUN"]
    assert any("npm ci" in run for run in runs)
    assert any("bin/build-assets.mjs" in run for run in runs)
    assert (ROOT / "bin" / "build-assets.mjs").is_file() and (ROOT / "package-lock.json").is_file()
    copies = [rest for keyword, rest in instructions if keyword == "COPY"]
    assert "--from=assets /build/assets /app/var/assets" in copies, "compiled assets go to the default ASSETS_DIR"


def test_dockerfile_runs_as_an_unprivileged_user_that_it_creates():
    instructions = dockerfile_instructions()
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users, "no USER instruction: the container would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    keywords = [keyword for keyword, _ in instructions]
    assert keywords.index("USER") < keywords.index("CMD")
    if not user.isdigit():
        created = [
            argv
            for run in dockerfile_runs()
            for argv in run
            if argv[0] in {"useradd", "adduser"} and argv[-1] == user
        ]
        assert created, f"the Dockerfile never creates user {user!r}"


def test_dockerfile_installs_the_lock_with_hashes():
    instructions = dockerfile_instructions()
    installs = []
    for position, (keyword, rest) in enumerate(instructions):
        if keyword != "RUN":
            continue
        for argv in shell_commands(rest):
            words = argv[2:] if argv[:3] == ["python", "-m", "pip"] else argv
            if words[:2] == ["pip", "install"]:
                installs.append((position, argv))
    assert installs, "no pip install in the Dockerfile"
    position, argv = installs[0]
    assert "--require-hashes" in argv
    assert "--no-cache-dir" in argv
    requirement_files = [
        argv[i + 1] for i, word in enumerate(argv) if word in {"-r", "--requirement"}
    ]
    assert requirement_files == ["requirements.lock"]
    copied_before = [
        rest.split()[:-1] for keyword, rest in instructions[:position] if keyword in {"COPY", "ADD"}
    ]
    assert any("requirements.lock" in sources or "." in sources for sources in copied_before), (
        "requirements.lock is not copied into the image before it is installed"
    )


def test_every_locked_requirement_is_hash_pinned():
    locked = locked_requirements()
    assert {"django", "gunicorn", "celery", "psycopg", "whitenoise"} <= set(locked)
    for name, block in locked.items():
        assert "--hash=sha256:" in block, f"{name} has no hash: --require-hashes refuses it"


def test_dockerfile_collects_static_files_with_throwaway_settings():
    from django.core.management import get_commands

    commands = get_commands()
    found = []
    for keyword, rest in dockerfile_instructions():
        if keyword != "RUN":
            continue
        for argv in shell_commands(rest):
            for subcommand in manage_py_subcommands([argv]):
                assert subcommand in commands, f"manage.py {subcommand} is not a management command"
                found.append(subcommand)
        if "collectstatic" in rest:
            # The production settings' required variables are given to this step only.
            for variable in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
                assert re.search(rf"(^|\s){variable}=\S+", rest), f"collectstatic lacks {variable}"
    assert "collectstatic" in found


def test_dockerfile_cmd_serves_the_project_wsgi_application(services):
    from django.core.handlers.wsgi import WSGIHandler

    options = parse_gunicorn(dockerfile_cmd())
    assert options.args == [WSGI_TARGET]
    assert options.bind == ["0.0.0.0:8000"]
    assert isinstance(load_wsgi_target(options.args[0]), WSGIHandler)
    (web_argv,) = command_argvs(services["web"]["command"])
    assert parse_gunicorn(web_argv).args == options.args


def test_var_dir_agrees_between_image_and_compose_and_is_writable(services):
    """Static files are collected under the image's VAR_DIR; beat writes its schedule there."""
    image_var_dir = dockerfile_env()["VAR_DIR"]
    for name in APP_SERVICES:
        assert environment_of(services[name])["VAR_DIR"] == image_var_dir
    users = [rest for keyword, rest in dockerfile_instructions() if keyword == "USER"]
    user = users[-1].split(":")[0]
    chowned = [
        argv
        for run in dockerfile_runs()
        for argv in run
        if argv[0] == "chown" and argv[-1] in {image_var_dir, "$VAR_DIR", "${VAR_DIR}"}
    ]
    assert chowned and any(word.split(":")[0] == user for word in chowned[0][1:]), (
        f"VAR_DIR is not handed to {user}"
    )


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        "var/db.sqlite3",
        ".git/HEAD",
        "__pycache__/x.pyc",
        "config/__pycache__/wsgi.cpython-311.pyc",
        "node_modules/x/index.js",
        ".pytest_cache/v/cache",
        ".hypothesis/examples/x",
        ".env",
    ],
)
def test_dockerignore_excludes(path):
    patterns = [line.strip() for line in DOCKERIGNORE.read_text().splitlines()]
    patterns = [line for line in patterns if line and not line.startswith("#")]
    assert dockerignored(path, patterns)


@pytest.mark.parametrize(
    "path",
    [
        "requirements.lock",
        "manage.py",
        "config/wsgi.py",
        "config/settings/production.py",
        "policies/files",
    ],
)
def test_dockerignore_keeps_what_the_image_needs(path):
    assert (ROOT / path).exists()
    patterns = [line.strip() for line in DOCKERIGNORE.read_text().splitlines()]
    patterns = [line for line in patterns if line and not line.startswith("#")]
    assert not dockerignored(path, patterns)
