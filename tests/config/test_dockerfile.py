"""The Dockerfile and .dockerignore against the project they build: base image, the node asset stage,
the unprivileged user, the hash-pinned install, static files and what the image keeps or leaves out."""

import re

import pytest

from tests.config.container_files import (
    APP_SERVICES,
    DOCKERIGNORE,
    ROOT,
    WSGI_TARGET,
    command_argvs,
    dockerfile_cmd,
    dockerfile_env,
    dockerfile_instructions,
    dockerfile_runs,
    dockerignored,
    environment_of,
    load_wsgi_target,
    locked_requirements,
    manage_py_subcommands,
    parse_gunicorn,
    shell_commands,
)


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
