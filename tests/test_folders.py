"""The user settings and state folders are looked up through platformdirs (XDG on Linux)."""

from __future__ import annotations

from zorgoverleg import minutes as m


def test_settings_and_recovery_folders_come_from_platformdirs(tmp_path, monkeypatch):
    from zorgoverleg.config import candidate_paths, load_config

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    settings = tmp_path / "cfg" / "zorgoverleg" / "config.toml"
    assert candidate_paths()[-1] == settings
    settings.parent.mkdir(parents=True)
    settings.write_text("[meeting]\nagenda_size = 7\n", "utf-8")
    assert load_config().section("meeting")["agenda_size"] == 7
    assert m.default_recovery_dir() == tmp_path / "state" / "zorgoverleg" / "recovery"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert candidate_paths()[-1] == tmp_path / "home" / ".config" / "zorgoverleg" / "config.toml"
