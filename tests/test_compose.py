"""The deployment files keep their promises, checked without a Docker engine.

``docker-compose.yml`` must satisfy the Compose specification (the JSON schema that
check-jsonschema ships as ``vendor.compose-spec``), set only variables the settings class
reads, point the API at the compose PostgreSQL service, and wire up the health checks. The
``Dockerfile`` must install from the lock file only and run as a non-root user.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import jsonschema
from check_jsonschema.builtin_schemas import get_builtin_schema
from ruamel.yaml import YAML
from sqlalchemy.engine import make_url

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
LOCK_FILE = "requirements.lock"

# The variables the project reads all share this prefix; each must name a Settings field.
PROJECT_PREFIX = "PRESSROOM_"
POSTGRES_DATA = "/var/lib/postgresql/data"
ROOT_USERS = {"root", "0"}


# --- reading the files -------------------------------------------------------------------


def load_compose() -> dict[str, Any]:
    # ruamel.yaml is what check-jsonschema parses YAML with; "safe" builds plain dicts/lists
    # and rejects duplicate keys, as Compose does.
    document = YAML(typ="safe").load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{COMPOSE_FILE.name} is not a mapping"
    return document


def service(compose: dict[str, Any], name: str) -> dict[str, Any]:
    services = compose.get("services") or {}
    assert name in services, f"{COMPOSE_FILE.name} has no service {name!r}"
    return services[name]


def environment(svc: dict[str, Any]) -> dict[str, str | None]:
    """A service's environment, from either the mapping or the ``KEY=value`` list form."""
    env = svc.get("environment") or {}
    if isinstance(env, dict):
        return {key: None if value is None else str(value) for key, value in env.items()}
    pairs: dict[str, str | None] = {}
    for item in env:
        key, sep, value = item.partition("=")
        pairs[key] = value if sep else None
    return pairs


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comments dropped and continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        pending = ""
        instructions.append((keyword.upper(), arguments.strip()))
    if pending:
        keyword, _, arguments = pending.strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert starts, "the Dockerfile has no FROM"
    return instructions[starts[-1] :]


def dockerfile_env() -> dict[str, str]:
    """Every variable set by an ENV instruction, in any stage."""
    env: dict[str, str] = {}
    for keyword, arguments in dockerfile_instructions():
        if keyword != "ENV":
            continue
        tokens = shlex.split(arguments)
        if tokens and "=" not in tokens[0]:  # legacy form: ENV KEY value
            env[tokens[0]] = " ".join(tokens[1:])
            continue
        for token in tokens:
            key, _, value = token.partition("=")
            env[key] = value
    return env


def pip_installs() -> list[list[str]]:
    """The arguments after ``pip install`` of each pip command in a RUN instruction."""
    commands: list[list[str]] = []
    for keyword, arguments in dockerfile_instructions():
        if keyword != "RUN":
            continue
        tokens = shlex.split(arguments)
        for i, token in enumerate(tokens[:-1]):
            if Path(token).name.startswith("pip") and tokens[i + 1] == "install":
                rest: list[str] = []
                for arg in tokens[i + 2 :]:
                    if arg in {"&&", "||", ";", "|"}:
                        break
                    rest.append(arg)
                commands.append(rest)
    return commands


def installs_lock(args: list[str]) -> bool:
    pairs = zip(args, [*args[1:], ""], strict=True)
    return any(
        (flag in {"-r", "--requirement"} and value == LOCK_FILE)
        or flag in {f"-r{LOCK_FILE}", f"--requirement={LOCK_FILE}"}
        for flag, value in pairs
    )


def settings_field(env_name: str) -> str | None:
    """The Settings field an environment variable sets, as pydantic-settings maps it."""
    config = Settings.model_config
    prefix: str = config.get("env_prefix", "")
    name, wanted = env_name, prefix
    if not config.get("case_sensitive", False):
        name, wanted = name.lower(), prefix.lower()
    if not name.startswith(wanted):
        return None
    field = name[len(wanted) :]
    return field if field in Settings.model_fields else None


def project_variables(env: dict[str, Any]) -> list[str]:
    return sorted(key for key in env if key.upper().startswith(PROJECT_PREFIX))


# --- 1. the Compose specification ----------------------------------------------------------


def test_compose_file_matches_the_compose_specification() -> None:
    # The same schema `check-jsonschema --builtin-schema vendor.compose-spec` uses.
    schema = get_builtin_schema("vendor.compose-spec")
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(
        validator_class(schema).iter_errors(load_compose()),
        key=lambda error: list(map(str, error.absolute_path)),
    )
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in errors
    ]
    assert not problems, "docker-compose.yml breaks the Compose spec:\n" + "\n".join(problems)


def test_compose_file_has_no_obsolete_version_key() -> None:
    assert "version" not in load_compose()


# --- 2. environment variables and Settings -------------------------------------------------


def test_compose_api_sets_only_settings_fields() -> None:
    env = environment(service(load_compose(), "api"))
    names = project_variables(env)
    assert names, "the api service sets no PRESSROOM_* variable"
    unknown = [name for name in names if settings_field(name) is None]
    assert not unknown, f"not fields of api.settings.Settings: {unknown}"
    # The values must also parse as their fields' types (e.g. a port that is a number).
    Settings(**{settings_field(n): env[n] for n in names if env[n] is not None})


def test_dockerfile_sets_only_settings_fields() -> None:
    env = dockerfile_env()
    names = project_variables(env)
    assert names, "the Dockerfile sets no PRESSROOM_* variable"
    unknown = [name for name in names if settings_field(name) is None]
    assert not unknown, f"not fields of api.settings.Settings: {unknown}"
    Settings(**{settings_field(n): env[n] for n in names})


def test_api_database_url_points_at_the_postgres_service() -> None:
    compose = load_compose()
    url_text = environment(service(compose, "api")).get("PRESSROOM_DATABASE_URL")
    assert url_text, "the api service does not set PRESSROOM_DATABASE_URL"
    url = make_url(url_text)
    assert url.drivername == "postgresql+asyncpg"
    assert url.host == "postgres"
    assert url.port in (None, 5432)
    # The credentials and database are the ones the postgres container creates.
    postgres_env = environment(service(compose, "postgres"))
    assert url.username == postgres_env.get("POSTGRES_USER")
    assert url.password == postgres_env.get("POSTGRES_PASSWORD")
    assert url.database == postgres_env.get("POSTGRES_DB", postgres_env.get("POSTGRES_USER"))


# --- 3. structure ------------------------------------------------------------------------


def test_api_waits_for_a_healthy_postgres() -> None:
    depends_on = service(load_compose(), "api").get("depends_on")
    assert isinstance(depends_on, dict), "api.depends_on must use the long form with conditions"
    assert (depends_on.get("postgres") or {}).get("condition") == "service_healthy"


def test_postgres_has_a_healthcheck_and_a_named_volume() -> None:
    compose = load_compose()
    postgres = service(compose, "postgres")

    healthcheck = postgres.get("healthcheck") or {}
    assert healthcheck.get("test"), "postgres has no healthcheck test"
    assert not healthcheck.get("disable"), "postgres disables its healthcheck"

    sources = []
    for mount in postgres.get("volumes") or []:
        if isinstance(mount, dict):
            if mount.get("type", "volume") == "volume" and mount.get("target") == POSTGRES_DATA:
                sources.append(mount.get("source"))
        else:
            source, _, rest = mount.partition(":")
            if rest.split(":")[0] == POSTGRES_DATA:
                sources.append(source)
    assert sources, f"nothing is mounted at {POSTGRES_DATA}"
    declared = compose.get("volumes") or {}
    assert all(source in declared for source in sources), (
        f"the volume at {POSTGRES_DATA} ({sources}) is not declared under top-level volumes"
    )


def test_api_has_a_healthcheck_on_healthz() -> None:
    healthcheck = service(load_compose(), "api").get("healthcheck") or {}
    assert not healthcheck.get("disable"), "api disables its healthcheck"
    test = healthcheck.get("test")
    text = test if isinstance(test, str) else " ".join(test or [])
    assert "/healthz" in text


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [
        arguments
        for keyword, arguments in final_stage(dockerfile_instructions())
        if keyword == "USER"
    ]
    assert users, "the final stage of the Dockerfile has no USER line"
    user = users[-1].split(":")[0]
    assert user not in ROOT_USERS, f"the image runs as {users[-1]!r}"


def test_dockerfile_installs_from_the_lock_file_only() -> None:
    installs = pip_installs()
    lock_installs = [args for args in installs if installs_lock(args)]
    assert lock_installs, f"no `pip install -r {LOCK_FILE}` in the Dockerfile"
    assert all("--require-hashes" in args for args in lock_installs)
    # Anything else pip installs (the project itself) must not pull unpinned dependencies.
    loose = [args for args in installs if not installs_lock(args) and "--no-deps" not in args]
    assert not loose, f"pip installs that resolve dependencies outside the lock: {loose}"
