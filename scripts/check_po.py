#!/usr/bin/env python3
"""Check the addon's Spanish translation file, ``i18n/es.po``.

Always (no Odoo needed):
  * the file exists and parses with polib;
  * no entry is fuzzy;
  * a translated entry keeps the %-placeholders of its msgid.

With ``--db NAME`` (Odoo 19 importable, the addon installed in that database):
  * every term that Odoo exports for the module (``odoo i18n export``) has a
    non-empty msgstr in es.po. The untranslated msgids are printed.

Exit status: 0 when all checks pass, 1 when a check fails, 2 on a usage or
environment error (e.g. polib missing, export failed).

Run ``scripts/update_po`` to bring new terms into es.po.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

MODULE = "crm_activity_verification"
ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrfiexXgGc%]")


def _placeholders(text):
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text) if m.group(0) != "%%")


def _rel(path):
    try:
        return path.relative_to(ROOT)
    except ValueError:
        return path


def _key(entry):
    return (entry.msgctxt or "", entry.msgid)


def _translated(entry):
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v.strip() for v in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def check_file(po_path, polib):
    """Return (catalog or None, list of problems)."""
    if not po_path.is_file():
        return None, [
            f"{_rel(po_path)} does not exist: create it (for instance with "
            "scripts/update_po) and translate the module's terms into Spanish."
        ]
    try:
        catalog = polib.pofile(str(po_path), wrapwidth=78)
    except (OSError, ValueError) as exc:
        return None, [f"{_rel(po_path)} does not parse: {exc}"]
    problems = []
    for entry in catalog:
        if entry.obsolete:
            continue
        where = f"{po_path.name}:{entry.linenum}"
        if "fuzzy" in entry.flags:
            problems.append(
                f"{where}: fuzzy entry (review it, then remove the flag): {entry.msgid!r}"
            )
        if entry.msgstr and _placeholders(entry.msgid) != _placeholders(entry.msgstr):
            problems.append(
                f"{where}: placeholders differ: msgid {_placeholders(entry.msgid)} vs "
                f"msgstr {_placeholders(entry.msgstr)} in {entry.msgid!r}"
            )
    return catalog, problems


def export_pot(db, target, module=MODULE):
    """Export the module's terms from database ``db`` into ``target`` (.pot)."""
    cmd = [str(SCRIPTS / "odoo"), "i18n", "export", "-d", db, "-o", str(target), module]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise RuntimeError(f"export failed: {' '.join(cmd)} (exit {proc.returncode})")
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--db", help="database where the addon is installed (export its terms)")
    parser.add_argument("--po", default=str(ROOT / "i18n" / "es.po"), help="PO file to check")
    parser.add_argument("--pot", help="use this exported .pot instead of exporting from --db")
    parser.add_argument("--module", default=MODULE, help=argparse.SUPPRESS)  # tooling tests
    args = parser.parse_args(argv)

    try:
        import polib
    except ImportError:
        print("check_po: polib is missing: python3 -m pip install polib", file=sys.stderr)
        return 2

    po_path = Path(args.po).resolve()
    catalog, problems = check_file(po_path, polib)
    if catalog is None:
        for problem in problems:
            print(f"check_po: {problem}")
        return 1

    n_terms = None
    if args.db or args.pot:
        with tempfile.TemporaryDirectory(prefix="cav-pot-") as tmp:
            try:
                pot_path = (
                    Path(args.pot)
                    if args.pot
                    else export_pot(args.db, Path(tmp) / "x.pot", args.module)
                )
                pot = polib.pofile(str(pot_path))
            except (RuntimeError, OSError, ValueError) as exc:
                print(f"check_po: cannot get the module's terms: {exc}", file=sys.stderr)
                return 2
        translations = {_key(e): e for e in catalog if not e.obsolete}
        untranslated = []
        for entry in pot:
            if entry.obsolete or not entry.msgid:
                continue
            found = translations.get(_key(entry))
            if found is None or not _translated(found):
                untranslated.append(entry)
        n_terms = len([e for e in pot if e.msgid and not e.obsolete])
        if untranslated:
            problems.append(
                f"{len(untranslated)} of {n_terms} exported terms have no Spanish translation "
                f"in {_rel(po_path)} (run scripts/update_po, then translate):"
            )
            for entry in untranslated:
                ctx = f"[{entry.msgctxt}] " if entry.msgctxt else ""
                problems.append(f"  untranslated: {ctx}{entry.msgid!r}")

    if problems:
        for problem in problems:
            print(f"check_po: {problem}")
        return 1
    scope = f"; all {n_terms} exported terms translated" if n_terms is not None else ""
    print(f"check_po: {_rel(po_path)} OK ({len(catalog)} entries{scope}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
