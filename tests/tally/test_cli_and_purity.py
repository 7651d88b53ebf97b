"""The CLI runs the engine on a file with no Django at all."""

import ast
import json
import subprocess
import sys

from .conftest import HERE

ROOT = HERE.parents[1]
TALLY = ROOT / "ballots" / "tally"


def test_no_module_in_the_engine_imports_django():
    for path in TALLY.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "django" for n in names), path


def cli(*args):
    # A poisoned 'django' on the path proves nothing imports it at run time.
    code = (
        "import sys, types; sys.modules['django'] = None; "
        "from ballots.tally.__main__ import main; sys.exit(main(sys.argv[1:]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_json_output():
    result = cli(
        str(HERE / "data" / "Netherlands_Assen_2024.pb"), "--rule", "mes-completion"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"rule", "selected", "spent", "budget"}
    ref = json.loads((HERE / "data" / "reference_outcomes.json").read_text())
    assert (
        data["selected"]
        == ref["Netherlands_Assen_2024.pb"]["mes_cost_add1+greedy_cost"]["selected"]
    )
    assert data["budget"] == "100000"


def test_cli_text_output_explains():
    result = cli(
        str(HERE / "data" / "Netherlands_Assen_2024.pb"),
        "--rule",
        "mes",
        "--format",
        "text",
        "--utility",
        "cardinality",
    )
    assert result.returncode == 0
    assert (
        "outbid under equal shares" in result.stdout
        or "funded in round" in result.stdout
    )


def test_cli_reports_malformed_file(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;x\n")
    result = cli(str(bad))
    assert result.returncode == 2 and "error:" in result.stderr
