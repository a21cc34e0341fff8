"""`make audit`: known vulnerabilities in the installed dependencies, with pip-audit.

Fails (exit 1) on a known vulnerability that has a fix available; reports the others.
Refuses to call a run an audit when the vulnerability data could not be read (exit 2): by
default pip-audit asks PyPI for each release's known vulnerabilities, and a package index
that serves the packages but not that data (a mirror, a proxy) makes pip-audit skip every
dependency and print "No known vulnerabilities found", which would be a false all-clear.

    python -m tools.dependency_audit            # runs pip-audit on this environment
    python -m tools.dependency_audit report.json  # judges a saved `pip-audit -f json`
"""

import json
import subprocess
import sys
from dataclasses import dataclass, field

# Our own package is installed in editable mode and is not on PyPI.
OWN = {"engage"}
PIP_AUDIT = [sys.executable, "-m", "pip_audit", "--local", "--format", "json",
             "--progress-spinner", "off"]


@dataclass
class Verdict:
    status: int  # 0 clean, 1 vulnerable with a fix, 2 not audited
    lines: list[str] = field(default_factory=list)


def judge(report: dict) -> Verdict:
    dependencies = [d for d in report.get("dependencies", []) if d.get("name") not in OWN]
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = [d for d in dependencies if "skip_reason" not in d]
    fixable, unfixed = [], []
    for dependency in audited:
        for vulnerability in dependency.get("vulns", []):
            entry = (f"{dependency['name']} {dependency['version']}: {vulnerability['id']}"
                     + (f" (fixed in {', '.join(vulnerability['fix_versions'])})"
                        if vulnerability.get("fix_versions") else " (no fix yet)"))
            (fixable if vulnerability.get("fix_versions") else unfixed).append(entry)
    lines = [f"{len(audited)} dependencies audited, {len(skipped)} could not be audited."]
    lines += [f"  not audited: {d['name']}: {d['skip_reason']}" for d in skipped[:10]]
    if len(skipped) > 10:
        lines.append(f"  … and {len(skipped) - 10} more")
    lines += [f"  VULNERABLE, fix available: {entry}" for entry in fixable]
    lines += [f"  vulnerable, no fix yet: {entry}" for entry in unfixed]
    if fixable:
        lines.append("Known vulnerabilities with a fix: upgrade these dependencies.")
        return Verdict(1, lines)
    if not audited or skipped:
        lines.append("The vulnerability data could not be read for every dependency: this is "
                     "NOT an audit. Run `make audit` where PyPI's JSON API (or OSV, with "
                     "PIP_AUDIT_SERVICE=osv) is reachable.")
        return Verdict(2, lines)
    lines.append("No known vulnerability with a fix available.")
    return Verdict(0, lines)


def run_pip_audit(extra: list[str]) -> dict | None:
    result = subprocess.run([*PIP_AUDIT, *extra], capture_output=True, text=True,  # noqa: S603
                            check=False, timeout=900)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        last = result.stderr.strip().splitlines()[-1:] or [""]
        sys.stderr.write(last[0][:500] + "\n")
        return None


def main(argv: list[str]) -> int:
    import os

    if argv:
        with open(argv[0], encoding="utf-8") as saved:
            report = json.load(saved)
    else:
        service = os.environ.get("PIP_AUDIT_SERVICE", "pypi")
        report = run_pip_audit(["--vulnerability-service", service])
        if report is None:
            print(f"pip-audit could not reach the vulnerability service ({service}): "
                  "this is NOT an audit.")
            return 2
    verdict = judge(report)
    print("\n".join(verdict.lines))
    return verdict.status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
