"""`make audit` (tools/dependency_audit.py): what counts as a failure, and that a run which
could not read the vulnerability data is never taken for a clean audit."""

import re
from pathlib import Path

from tools.dependency_audit import judge

ROOT = Path(__file__).resolve().parents[2]


def report(*dependencies):
    return {"dependencies": list(dependencies), "fixes": []}


def vulnerable(name, fix_versions):
    return {"name": name, "version": "1.0", "vulns": [
        {"id": "PYSEC-2099-1", "fix_versions": fix_versions, "aliases": [],
         "description": "…"}]}


CLEAN = {"name": "flask", "version": "3.1.3", "vulns": []}


def test_a_vulnerability_with_a_fix_fails():
    verdict = judge(report(CLEAN, vulnerable("werkzeug", ["3.1.4"])))
    assert verdict.status == 1
    assert any("werkzeug 1.0: PYSEC-2099-1 (fixed in 3.1.4)" in line for line in verdict.lines)


def test_a_vulnerability_without_a_fix_is_reported_but_does_not_fail():
    verdict = judge(report(CLEAN, vulnerable("nh3", [])))
    assert verdict.status == 0
    assert any("no fix yet" in line for line in verdict.lines)


def test_no_vulnerability_data_is_not_an_audit():
    skipped = {"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be "
               "audited: flask (3.1.3)"}
    assert judge(report(skipped)).status == 2
    assert judge(report(CLEAN, skipped)).status == 2
    assert judge(report()).status == 2


def test_our_own_package_is_not_audited():
    own = {"name": "engage", "skip_reason": "Dependency not on PyPI (editable)"}
    assert judge(report(CLEAN, own)).status == 0


def test_make_audit_exists_and_make_test_does_not_wait_for_it():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^audit: .*\n\t\$\(BIN\)/python -m tools\.dependency_audit", makefile,
                     re.MULTILINE)
    test_target = re.search(r"^test: (.*)$", makefile, re.MULTILINE).group(1)
    assert "audit" not in test_target
    assert '"pip-audit==' in (ROOT / "pyproject.toml").read_text()


def test_renovate_updates_pyproject_and_both_lock_files_with_the_make_lock_command():
    import json

    config = json.loads((ROOT / "renovate.json").read_text())
    assert {"pep621", "pip-compile"} <= set(config["enabledManagers"])
    patterns = [re.compile(pattern.strip("/"))
                for pattern in config["pip-compile"]["managerFilePatterns"]]
    for lock in ("requirements.lock", "requirements-dev.lock"):
        assert any(pattern.search(lock) for pattern in patterns), lock
        # Renovate reruns the header's command: it must be the one `make lock` runs.
        header = (ROOT / lock).read_text().splitlines()[1].lstrip("# ").strip()
        makefile = (ROOT / "Makefile").read_text()
        lock_command = re.search(r"^LOCK := \$\(UV\) (.*)$", makefile, re.MULTILINE).group(1)
        expected = lock_command.replace(" --quiet", "")
        assert header.startswith("uv " + expected), (header, expected)
    assert config["vulnerabilityAlerts"]["enabled"] is True


def test_the_hosted_audit_runs_make_audit_on_a_schedule_and_when_locks_change():
    workflow = (ROOT / ".github" / "workflows" / "audit.yml").read_text()
    assert re.search(r"^\s+- cron: \"[^\"]+\"$", workflow, re.MULTILINE)
    assert re.search(r"^\s+- run: make audit$", workflow, re.MULTILINE)
    assert '"requirements.lock", "requirements-dev.lock"' in workflow
    security = (ROOT / "SECURITY.md").read_text()
    assert ".github/workflows/audit.yml" in security and "renovate.json" in security
