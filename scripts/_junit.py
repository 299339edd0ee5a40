"""JUnit XML helpers for scripts/test (pytest --junitxml reports).

python3 scripts/_junit.py failed-ids REPORT ROOTDIR   node ids of failed tests
python3 scripts/_junit.py forgive REPORT RERUN_REPORT  drop failures that passed on rerun
python3 scripts/_junit.py check-prefix REPORT PREFIX   every classname starts with PREFIX
python3 scripts/_junit.py total REPORT...             "tests: N passed, N failed, N skipped"
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

BAD = ("failure", "error")


def _cases(report):
    return list(ET.parse(report).getroot().iter("testcase"))


def _failed(case):
    return any(case.find(tag) is not None for tag in BAD)


def _node_id(case, rootdir):
    """pytest node id (absolute path) of a JUnit testcase."""
    parts = case.get("classname", "").split(".")
    name = case.get("name", "")
    for cut in range(len(parts), 0, -1):
        path = Path(rootdir, *parts[:cut]).with_suffix(".py")
        if path.is_file():
            return "::".join([str(path), *parts[cut:], name])
    return None


def failed_ids(report, rootdir):
    ids = []
    for case in _cases(report):
        if _failed(case):
            node = _node_id(case, rootdir)
            if node is None:  # cannot rerun what we cannot name: give up
                return 1
            if node not in ids:
                ids.append(node)
    print("\n".join(ids))
    return 0


def forgive(report, rerun_report):
    """Remove failures of ``report`` whose test passed in ``rerun_report``."""
    passed = {
        (c.get("classname"), c.get("name"))
        for c in _cases(rerun_report)
        if not _failed(c) and c.find("skipped") is None
    }
    tree = ET.parse(report)
    for suite in tree.getroot().iter("testsuite"):
        for case in suite.iter("testcase"):
            if (case.get("classname"), case.get("name")) not in passed:
                continue
            for tag in BAD:
                for child in case.findall(tag):
                    case.remove(child)
                    key = "failures" if tag == "failure" else "errors"
                    suite.set(key, str(int(suite.get(key, 0)) - 1))
                    case.set("flaky", "passed on rerun")
    tree.write(report, encoding="utf-8", xml_declaration=True)
    return 0


def check_prefix(report, prefix):
    bad = sorted({c.get("classname", "") for c in _cases(report)} - {""})
    bad = [name for name in bad if not name.startswith(prefix)]
    if bad:
        print(f"test ids not under {prefix!r}: {bad}", file=sys.stderr)
        return 1
    return 0


def total(*reports):
    """Count test cases (not subtests), like pytest's closing line does."""
    passed = failed = skipped = 0
    for report in reports:
        try:
            cases = _cases(report)
        except (OSError, ET.ParseError):
            continue
        for case in cases:
            if _failed(case):
                failed += 1
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 0


COMMANDS = {
    "failed-ids": failed_ids,
    "forgive": forgive,
    "check-prefix": check_prefix,
    "total": total,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    sys.exit(COMMANDS[sys.argv[1]](*sys.argv[2:]))
