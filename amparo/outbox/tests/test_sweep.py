"""Every job is asked for inside the transaction that needs it: no code enqueues from an ``on_commit`` callback.

A job enqueued after the commit is lost when the process dies between the two (the gap the outbox closes); the
one place allowed to defer is ``enqueue_on_commit`` itself, for backends that keep no row in the database."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import amparo

ROOT = Path(amparo.__file__).parent
ALLOWED = {ROOT / "outbox" / "dispatch.py"}


def _enqueues(node: ast.AST, local: Mapping[str, ast.AST]) -> bool:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            if isinstance(func, ast.Attribute) and func.attr == "enqueue":
                return True
            callee = local.get(func.id) if isinstance(func, ast.Name) else None
            if callee is not None and callee is not node and _enqueues(callee, {}):
                return True
    return False


def deferred_enqueues(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr != "on_commit" or not node.args:
            continue
        callback: ast.AST = node.args[0]
        if isinstance(callback, ast.Name) and callback.id in functions:
            callback = functions[callback.id]
        if _enqueues(callback, functions):
            found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return found


def test_no_code_enqueues_a_job_after_its_commit() -> None:
    files = [p for p in ROOT.rglob("*.py") if "tests" not in p.parts and p not in ALLOWED]
    assert len(files) > 100
    found = [where for path in files for where in deferred_enqueues(path)]
    assert not found, f"enqueue inside the transaction with enqueue_on_commit instead: {found}"


def test_the_sweep_sees_both_ways_of_deferring(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from django.db import transaction\n"
        "def later():\n    job.enqueue()\n"
        "def ask():\n"
        "    transaction.on_commit(lambda: job.enqueue(1))\n"
        "    transaction.on_commit(later)\n"
        "    transaction.on_commit(print)\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert deferred_enqueues(sample) == [
            f"{tmp_path.name}/sample.py:5",
            f"{tmp_path.name}/sample.py:6",
        ]
    finally:
        ROOT = saved
