"""`sim personas import` and `sim personas export`: the YAML library into the database
(idempotent, a higher version appended) and a stored version back out, byte for byte."""

from __future__ import annotations

import shutil

import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.config import REPO_ROOT, get_settings

runner = CliRunner()


def _env(tmp_path, monkeypatch, personas):
    monkeypatch.setenv("SIM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SIM_PERSONAS_DIR", str(personas))
    get_settings.cache_clear()


def test_import_is_idempotent_and_export_gives_the_file_back(tmp_path, monkeypatch):
    folder = tmp_path / "personas"
    folder.mkdir()
    for name in ("silent-adolescent.yaml", "therapy-burned.yaml"):
        shutil.copy(REPO_ROOT / "personas" / name, folder / name)
    _env(tmp_path, monkeypatch, folder)
    v = {n: yaml.safe_load((folder / f"{n}.yaml").read_text(encoding="utf-8"))["version"]
         for n in ("silent-adolescent", "therapy-burned")}
    try:
        first = runner.invoke(app, ["personas", "import"])
        assert first.exit_code == 0, first.output
        assert f"silent-adolescent.yaml: imported v{v['silent-adolescent']}" in first.output
        again = runner.invoke(app, ["personas", "import"])
        assert again.exit_code == 0 and "imported" not in again.output.replace(
            "not imported", "")
        assert f"already stored (v{v['silent-adolescent']})" in again.output

        # a new version of a file is appended as the published version
        text = (folder / "therapy-burned.yaml").read_text(encoding="utf-8")
        old, new = v["therapy-burned"], v["therapy-burned"] + 1
        (folder / "therapy-burned.yaml").write_text(
            text.replace(f"version: {old}", f"version: {new}", 1), encoding="utf-8")
        bumped = runner.invoke(app, ["personas", "import"])
        assert f"therapy-burned.yaml: imported v{new}" in bumped.output

        out = runner.invoke(app, ["personas", "export", "silent-adolescent"])
        assert out.exit_code == 0
        assert out.output == (folder / "silent-adolescent.yaml").read_text(encoding="utf-8")
        target = tmp_path / "old.yaml"
        written = runner.invoke(app, ["personas", "export", "therapy-burned", "--version",
                                      str(old), "-o", str(target)])
        assert written.exit_code == 0 and f"therapy-burned v{old}" in written.output
        assert target.read_text(encoding="utf-8") == text

        missing = runner.invoke(app, ["personas", "export", "nobody"])
        assert missing.exit_code == 1 and "No persona 'nobody'" in missing.output
    finally:
        get_settings.cache_clear()


def test_an_invalid_file_is_reported_and_not_imported(tmp_path, monkeypatch):
    folder = tmp_path / "personas"
    folder.mkdir()
    (folder / "half-done.yaml").write_text("id: half-done\nversion: 1\n", encoding="utf-8")
    _env(tmp_path, monkeypatch, folder)
    try:
        result = runner.invoke(app, ["personas", "import"])
        assert result.exit_code == 1
        assert "half-done.yaml: invalid, not imported: half-done.yaml:1:1:" in result.output
        assert "0 of 1 file(s) stored" in result.output
    finally:
        get_settings.cache_clear()
