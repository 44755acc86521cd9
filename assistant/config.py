"""Settings: defaults, then a config file, then ASSISTANT_* environment variables, then arguments."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from assistant.errors import ConfigError

DEFAULT_EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
ENV_PREFIX = "ASSISTANT_"


def project_root() -> Path:
    """The checkout this package lives in, or the working directory for a plain install."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "pyproject.toml").exists() else Path.cwd()


class Settings(BaseModel):
    """Every knob of the assistant. Paths are resolved against the project root."""

    corpus_dir: Path = Field(default_factory=lambda: project_root() / "corpus")
    store_dir: Path = Field(default_factory=lambda: project_root() / ".assistant" / "chroma")
    cache_dir: Path = Field(default_factory=lambda: project_root() / ".assistant" / "cache",
                            description="Derived files that any index can share, such as the embedding model's ONNX export.")
    chroma_url: str | None = Field(None, description="http://HOST:PORT of a Chroma server; local store when unset.")
    collection: str = "corpus"
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    # Chosen by evals/studies/chunk_sweep.py on the dev questions (best MRR); see evals/studies/README.md.
    chunk_size: int = Field(400, ge=100, le=8000)
    chunk_overlap: int = Field(80, ge=0, le=2000)
    k: int = Field(5, ge=1, le=50)
    backend: Literal["extractive", "llm"] = "extractive"
    llm: str | None = Field(None, description="provider:model for init_chat_model, e.g. ollama:llama3.1")
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = Field(30.0, gt=0)
    llm_max_tokens: int = Field(256, ge=1, le=32768, description="The most tokens the model may write in one reply: "
                                "an answer is one to three sentences, and a model that runs on is cut off.")
    upload_max_mb: float = Field(20.0, gt=0, le=1024, description="Largest document the web UI accepts, in MB.")

    @field_validator("corpus_dir", "store_dir", "cache_dir", mode="after")
    @classmethod
    def _absolute(cls, path: Path) -> Path:
        path = path.expanduser()
        return path if path.is_absolute() else project_root() / path

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, overlap: int, info: Any) -> int:
        size = info.data.get("chunk_size")
        if size is not None and overlap >= size:
            raise ValueError("chunk_overlap must be smaller than chunk_size")
        return overlap


def _config_file_values() -> dict[str, Any]:
    explicit = os.environ.get(ENV_PREFIX + "CONFIG")
    path = Path(explicit) if explicit else project_root() / "assistant.toml"
    if not path.exists():
        if explicit:
            raise ConfigError(f"Config file {path} does not exist: fix ASSISTANT_CONFIG or create the file.")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc}. Fix the file or remove it.") from exc
    return data.get("assistant", data)


def _env_values() -> dict[str, Any]:
    values = {}
    for name in Settings.model_fields:
        raw = os.environ.get(ENV_PREFIX + name.upper())
        if raw is not None and raw.strip() != "":
            values[name] = raw.strip()
    return values


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from defaults, config file, environment and explicit overrides, in that order."""
    values = {**_config_file_values(), **_env_values()}
    values.update({key: value for key, value in overrides.items() if value is not None})
    unknown = sorted(set(values) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(f"Unknown setting(s): {', '.join(unknown)}. Known: {', '.join(Settings.model_fields)}.")
    try:
        return Settings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "settings"
        raise ConfigError(f"Invalid setting {field}: {first['msg']}.") from None


LOOPBACK = ("127.0.0.1", "localhost", "::1")  # addresses only this machine reaches


def bind_address(host: str | None, port: int | None, env: str, default_port: int) -> tuple[str, int]:
    """The host and port a server binds: explicit values, then ASSISTANT_<env>_HOST / _PORT, then loopback and
    `default_port`.

    Raises:
        ValueError: a port that is not a number between 1 and 65535.
    """
    host = host or os.environ.get(f"ASSISTANT_{env}_HOST", "").strip() or LOOPBACK[0]
    raw_port = port if port is not None else os.environ.get(f"ASSISTANT_{env}_PORT", "").strip() or default_port
    try:
        port = int(raw_port)
    except ValueError:
        raise ValueError(f"ASSISTANT_{env}_PORT must be a port number, not {raw_port!r}.") from None
    if not 0 < port < 65536:
        raise ValueError(f"The port must be between 1 and 65535, not {port}.")
    return host, port
