"""Settings: defaults here, overridden by the environment, then by the caller (tests)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def _secret_key(env: str) -> str:
    """Return SECRET_KEY from the environment, or a development key kept in instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise RuntimeError("SECRET_KEY must be set in production")
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url() -> str:
    """Return DATABASE_URL, defaulting to a SQLite file under instance/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants the driver named.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    INSTANCE_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'ecotool.sqlite'}"


def load_config() -> dict:
    """Build the configuration mapping from defaults and the environment."""
    env = os.environ.get("ECOTOOL_ENV", "development")
    return {
        "ECOTOOL_ENV": env,
        "SECRET_KEY": _secret_key(env),
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        # hide_parameters keeps typed values (and password hashes) out of database error messages.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "ECOTOOL_TIMEZONE": os.environ.get("ECOTOOL_TIMEZONE", "Europe/London"),
        "FRAMEWORKS_DIR": str(PROJECT_ROOT / "frameworks"),
        "WTF_CSRF_TIME_LIMIT": None,
        # A form's text fields together are under 100 KB; an import file of 20,000 cases under 2 MB.
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,
        "ECOTOOL_MAX_IMPORT_BYTES": 4 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        # Behind HTTPS the cookie is bound to this exact host and path (no subdomain can set or read it).
        "SESSION_COOKIE_NAME": "__Host-ecotool" if env == "production" else "ecotool",
        # Roles that must sign in with an authenticator app too (comma-separated; empty: no one must).
        "ECOTOOL_TWO_FACTOR_ROLES": os.environ.get("ECOTOOL_TWO_FACTOR_ROLES", "admin,supervisor,commissioner"),
        "ECOTOOL_IDLE_MINUTES": int(os.environ.get("ECOTOOL_IDLE_MINUTES", "30")),
        "ECOTOOL_SESSION_HOURS": int(os.environ.get("ECOTOOL_SESSION_HOURS", "12")),
        "RATELIMIT_STORAGE_URI": os.environ.get("ECOTOOL_RATELIMIT_STORAGE", "memory://"),
        "RATELIMIT_ENABLED": os.environ.get("ECOTOOL_RATELIMIT", "on") != "off",
        # Failed sign-ins allowed from one address, and against one account from anywhere. The store must be
        # shared by every worker (redis://...) for the limits to hold under more than one.
        # How many proxies (an HTTPS terminator, a load balancer) stand in front and set X-Forwarded-For/-Proto:
        # the sign-in throttle needs each client's own address, not the proxy's.
        "ECOTOOL_PROXIES": int(os.environ.get("ECOTOOL_PROXIES", "0")),
        "ECOTOOL_THROTTLE_PREFIX": os.environ.get("ECOTOOL_THROTTLE_PREFIX", "ecotool"),
        "ECOTOOL_LOGIN_LIMIT": os.environ.get("ECOTOOL_LOGIN_LIMIT", "30 per minute"),
        "ECOTOOL_ACCOUNT_LIMIT": os.environ.get("ECOTOOL_ACCOUNT_LIMIT", "10 per 15 minutes"),
    }
