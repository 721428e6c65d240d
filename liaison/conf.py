"""Small typed readers for settings taken from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def default_data_dir(package_dir: Path) -> Path:
    """The data folder: LIAISON_DATA_DIR, else `data/` beside a source checkout."""
    configured = os.environ.get("LIAISON_DATA_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    checkout = package_dir.parent
    if (checkout / "pyproject.toml").exists():
        return checkout / "data"
    return Path.home() / ".local" / "share" / "liaison"


def secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, else a random key kept in the data folder.

    A key generated once and kept private is as safe as one set by hand, and a
    newcomer has nothing to configure.
    """
    configured = os.environ.get("SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
