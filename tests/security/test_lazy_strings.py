"""User text never goes into a lazy translated string.

flask_babel's LazyString has `__html__` returning its text as it is, so Jinja trusts it as
markup: `_l("Already exists: %(name)s.", name=label)` shown in a page is an XSS when `label`
comes from a user. Messages that carry user text use `gettext` (a plain string, escaped in
the page). This test reads every `_l(...)`/`lazy_gettext(...)` call of the application and
accepts only numbers, constants and our own labels as their parameters.
"""

import ast
from pathlib import Path

LAZY = {"_l", "lazy_gettext", "lazy_ngettext", "lazy_pgettext"}
SAFE_NAMES = {"count", "size", "limit", "maximum", "place", "number"}
SAFE_CALLS = {"len", "int", "_megabytes"}
SAFE_ATTRIBUTES = {"label", "number"}
# Reviewed one by one: language names of our own list.
SAFE_EXPRESSIONS = {"', '.join((language_label(c) for c in missing))"}
ROOT = Path(__file__).resolve().parents[2] / "engage"


def safe(node) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id.isupper() or node.id in SAFE_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr.isupper() or node.attr in SAFE_ATTRIBUTES
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in SAFE_CALLS
    if isinstance(node, ast.BinOp):
        return safe(node.left) and safe(node.right)
    return ast.unparse(node) in SAFE_EXPRESSIONS


def lazy_calls_with_user_values():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # A lazy string turned into a plain one at once (`str(_l(...))`) is escaped later.
        wrapped = {id(node.args[0]) for node in ast.walk(tree)
                   if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "str"
                   and node.args}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") in LAZY
                    and id(node) not in wrapped):
                for keyword in node.keywords:
                    if not safe(keyword.value):
                        found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: "
                                     f"{keyword.arg}={ast.unparse(keyword.value)}")
    return found


def test_lazy_strings_take_no_user_text():
    assert lazy_calls_with_user_values() == [], (
        "use gettext (not _l) for a message carrying user text: a lazy string's parameters "
        "are not escaped in templates")

