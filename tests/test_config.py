import pytest

from assistant import ConfigError, load_settings


def test_precedence_is_defaults_file_env_arguments(tmp_path, monkeypatch):
    config = tmp_path / "assistant.toml"
    config.write_text('[assistant]\nk = 7\nchunk_size = 900\nbackend = "extractive"\n')
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    assert load_settings().k == 7 and load_settings().chunk_size == 900
    monkeypatch.setenv("ASSISTANT_K", "9")
    assert load_settings().k == 9
    assert load_settings(k=3).k == 3
    assert load_settings().chunk_overlap == 80


def test_relative_paths_resolve_against_the_project(monkeypatch):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", "some/where")
    assert load_settings().store_dir.is_absolute()


@pytest.mark.parametrize("env, message", [
    ({"ASSISTANT_K": "zero"}, "Invalid setting k"),
    ({"ASSISTANT_BACKEND": "magic"}, "Invalid setting backend"),
    ({"ASSISTANT_CHUNK_SIZE": "300", "ASSISTANT_CHUNK_OVERLAP": "300"}, "chunk_overlap"),
])
def test_invalid_settings_say_which(monkeypatch, env, message):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_unknown_setting_in_file_is_named(tmp_path, monkeypatch):
    config = tmp_path / "assistant.toml"
    config.write_text("colour = 'blue'\n")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    with pytest.raises(ConfigError, match="colour"):
        load_settings()


def test_missing_config_file_named_by_env_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="ASSISTANT_CONFIG"):
        load_settings()
