"""Settings come from the environment through helpers that fail loudly; production is safe.

The production checks start a fresh Python process with a clean environment (no
VENTANILLA_LOCAL), since settings are read once at import.
"""

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from ventanilla.core.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [
    BASE_DIR / "ventanilla" / "templates",
    *sorted((BASE_DIR / "ventanilla").glob("*/templates")),
]


# Typed helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        (" on ", True),
        ("false", False),
        ("0", False),
        ("No", False),
        ("off", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("VENTANILLA_TEST_FLAG", raw)
    assert env_bool("VENTANILLA_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "enabled"])
def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("VENTANILLA_TEST_FLAG", raw)
    with pytest.raises(ConfigurationError, match=r"VENTANILLA_TEST_FLAG=.*not a boolean"):
        env_bool("VENTANILLA_TEST_FLAG", True)


def test_unset_or_empty_variables_take_the_default(monkeypatch):
    monkeypatch.delenv("VENTANILLA_TEST_X", raising=False)
    assert env_bool("VENTANILLA_TEST_X", True) is True
    assert env_int("VENTANILLA_TEST_X", 7) == 7
    assert env_str("VENTANILLA_TEST_X", "d") == "d"
    assert env_list("VENTANILLA_TEST_X", ["a"]) == ["a"]
    monkeypatch.setenv("VENTANILLA_TEST_X", "")
    assert env_bool("VENTANILLA_TEST_X", False) is False
    assert env_int("VENTANILLA_TEST_X", 3) == 3
    assert env_str("VENTANILLA_TEST_X", "d") == "d"


def test_env_int(monkeypatch):
    monkeypatch.setenv("VENTANILLA_TEST_N", "42")
    assert env_int("VENTANILLA_TEST_N", 0) == 42
    for bad in ("forty-two", "4.2", "12a"):
        monkeypatch.setenv("VENTANILLA_TEST_N", bad)
        with pytest.raises(ConfigurationError, match=r"VENTANILLA_TEST_N=.*not an integer"):
            env_int("VENTANILLA_TEST_N", 0)


def test_a_required_variable_that_is_missing_or_empty_stops_with_its_name(monkeypatch):
    monkeypatch.delenv("VENTANILLA_TEST_REQUIRED", raising=False)
    with pytest.raises(ConfigurationError, match="VENTANILLA_TEST_REQUIRED is required"):
        env_str("VENTANILLA_TEST_REQUIRED")
    monkeypatch.setenv("VENTANILLA_TEST_REQUIRED", "")
    with pytest.raises(ConfigurationError, match="VENTANILLA_TEST_REQUIRED is required"):
        env_str("VENTANILLA_TEST_REQUIRED")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("VENTANILLA_TEST_HOSTS", " example.org, ,www.example.org ,")
    assert env_list("VENTANILLA_TEST_HOSTS", []) == ["example.org", "www.example.org"]


def test_env_choice(monkeypatch):
    monkeypatch.setenv("VENTANILLA_TEST_CHOICE", "b")
    assert env_choice("VENTANILLA_TEST_CHOICE", ("a", "b"), "a") == "b"
    monkeypatch.setenv("VENTANILLA_TEST_CHOICE", "c")
    with pytest.raises(ConfigurationError, match="VENTANILLA_TEST_CHOICE='c' must be one of a, b"):
        env_choice("VENTANILLA_TEST_CHOICE", ("a", "b"), "a")


def test_a_file_variable_is_read_stripped_and_wins_over_the_plain_one(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("  from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("VENTANILLA_TEST_SECRET", "from-the-environment")
    monkeypatch.setenv("VENTANILLA_TEST_SECRET_FILE", str(secret))
    assert env_str("VENTANILLA_TEST_SECRET") == "from-the-file"
    (tmp_path / "port").write_text("5433\n", encoding="utf-8")
    monkeypatch.setenv("VENTANILLA_TEST_PORT_FILE", str(tmp_path / "port"))
    assert env_int("VENTANILLA_TEST_PORT", 1) == 5433
    (tmp_path / "flag").write_text("off", encoding="utf-8")
    monkeypatch.setenv("VENTANILLA_TEST_FLAG_FILE", str(tmp_path / "flag"))
    assert env_bool("VENTANILLA_TEST_FLAG", True) is False
    (tmp_path / "bad").write_text("nope", encoding="utf-8")
    monkeypatch.setenv("VENTANILLA_TEST_FLAG_FILE", str(tmp_path / "bad"))
    with pytest.raises(ConfigurationError, match="VENTANILLA_TEST_FLAG='nope'"):
        env_bool("VENTANILLA_TEST_FLAG", True)


def test_an_unreadable_file_variable_stops_with_its_name(monkeypatch, tmp_path):
    monkeypatch.setenv("VENTANILLA_TEST_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigurationError, match="VENTANILLA_TEST_SECRET_FILE=.*cannot be read"):
        env_str("VENTANILLA_TEST_SECRET", "default")
    monkeypatch.setenv("VENTANILLA_TEST_SECRET_FILE", str(tmp_path))  # a directory
    with pytest.raises(ConfigurationError, match="VENTANILLA_TEST_SECRET_FILE"):
        env_str("VENTANILLA_TEST_SECRET", "default")


# Production settings, in a clean process ---------------------------------------------------------


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "ventanilla.settings",
        "VENTANILLA_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_python(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def setup_django(env: dict, code: str = "") -> subprocess.CompletedProcess:
    return run_python(env, "-c", f"import django; django.setup(); {code}")


def test_production_without_secret_key_fails_with_a_clear_message(tmp_path):
    result = setup_django(production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "ConfigurationError: Environment variable SECRET_KEY is required" in result.stderr
    # The local fallback (a generated key under var/) is not used outside local runs.
    assert not (tmp_path / "var" / "secret_key").exists()


def test_production_refuses_a_short_secret_key(tmp_path):
    result = setup_django(production_env(tmp_path, SECRET_KEY="x" * 49))
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters long" in result.stderr


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is required"),
        ({"DATABASE_URL": None}, "Environment variable DATABASE_URL is required"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL cannot be parsed"),
        ({"DEBUG": "perhaps"}, "DEBUG='perhaps' is not a boolean"),
        ({"SESSION_COOKIE_AGE": "8h"}, "SESSION_COOKIE_AGE='8h' is not an integer"),
        ({"LANGUAGE_CODE": "fr"}, "LANGUAGE_CODE='fr' must be one of"),
        (
            {"SECRET_KEY": None, "SECRET_KEY_FILE": "/nonexistent/secret"},
            "SECRET_KEY_FILE='/nonexistent/secret' cannot be read",
        ),
    ],
)
def test_production_stops_on_a_missing_or_bad_setting(tmp_path, overrides, message):
    result = setup_django(production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr and message in result.stderr, result.stderr


def test_production_reads_the_secret_key_from_a_file(tmp_path):
    key = secrets.token_urlsafe(48)
    (tmp_path / "key").write_text(key + "\n", encoding="utf-8")
    result = setup_django(
        production_env(tmp_path, SECRET_KEY=None, SECRET_KEY_FILE=str(tmp_path / "key")),
        "from django.conf import settings; print(settings.SECRET_KEY)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key


def test_production_defaults_are_the_safe_ones(tmp_path):
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "VENTANILLA_REQUIRE_2FA",
        "SESSION_COOKIE_HTTPONLY",
        "X_FRAME_OPTIONS",
    ]
    code = (
        "from django.conf import settings; import json; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = setup_django(production_env(tmp_path), code)
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "VENTANILLA_REQUIRE_2FA": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_python(
        production_env(tmp_path), "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


def test_check_deploy_does_catch_an_unsafe_setting(tmp_path):
    # The check above could pass for the wrong reason; with DEBUG on it must fail.
    result = run_python(
        production_env(tmp_path, DEBUG="true"),
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


# Content-Security-Policy --------------------------------------------------------------------------


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "url, who",
    [
        ("/accounts/login/", None),
        ("/", "intake"),
        ("/", "analyst"),
        ("/registry/", "intake"),
    ],
)
def test_pages_carry_a_csp_header_whose_nonce_is_on_every_script(client, world, url, who):
    if who:
        client.force_login(getattr(world, who))
    response = client.get(url, follow=True)
    assert response.status_code == 200
    policy = _csp(response)
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1, policy
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert len(nonce) >= 16
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag
    # A fresh nonce for every response.
    assert _csp(client.get(url, follow=True))["script-src"] != policy["script-src"]


def test_api_responses_carry_the_csp_header_too(client, world):
    client.force_login(world.intake)
    response = client.get("/api/v1/persons/?q=x")
    assert "default-src 'self'" in response["Content-Security-Policy"]


def _templates() -> list[Path]:
    found = [path for directory in TEMPLATE_DIRS for path in directory.rglob("*.html")]
    assert len(found) > 10, TEMPLATE_DIRS
    return found


def test_no_template_has_a_script_without_the_nonce():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            if not re.search(r'nonce="\{\{ *csp_nonce *\}\}"|\{% *csp_nonce_attr', tag):
                offenders.append(f"{path.relative_to(BASE_DIR)}: {tag}")
    assert offenders == []


def test_no_template_relies_on_what_the_csp_blocks():
    # Inline event handlers, javascript: URLs and inline styles are refused by the policy
    # ('unsafe-inline' is in neither script-src nor style-src), whatever the nonce.
    patterns = [
        r"\son[a-z]+\s*=\s*[\"']",
        r"javascript:",
        r"<style\b",
        r"\sstyle\s*=\s*[\"']",
        r"\shx-on[:-]",
    ]
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            for match in re.finditer(pattern, text, flags=re.IGNORECASE):
                offenders.append(f"{path.relative_to(BASE_DIR)}: {match.group(0)!r}")
    assert offenders == []
