"""docker-compose.yml against the project it runs.

Nothing here starts a container: the gunicorn target imports, ``celery -A config`` finds the project's
Celery app and the worker/beat options parse with Celery's own CLI, every ``manage.py`` sub-command
exists, the healthcheck URL resolves and the request the healthcheck sends passes production's host
and HTTPS rules.
"""

import importlib
import importlib.metadata
import importlib.util
import re
import shlex
import sys
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest

from tests.config.container_files import (
    APP_SERVICES,
    HEALTHCHECKED_SERVICES,
    INTERPOLATION_ENV,
    LONG_RUNNING_APP_SERVICES,
    MissingVariable,
    WSGI_TARGET,
    command_argvs,
    environment_of,
    interpolate,
    load_wsgi_target,
    locked_requirements,
    manage_py_subcommands,
    parse_celery,
    parse_gunicorn,
)


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
