#!/usr/bin/env python3
"""Build static/description/index.html (the module's page in Odoo's Apps) from the
Markdown fragments of readme/, so that Odoo does not parse README.md as RST.

Only the Markdown the fragments use is supported: headings, paragraphs, bullet and
numbered lists, **bold**, *italics* and `code`. Run it after editing readme/;
``--check`` exits 1 when index.html is out of date (the gen-description hook of
.pre-commit-config.yaml runs that).
"""

import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONTEXT.md", "Context"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
    ("CONTRIBUTORS.md", "Contributors"),
]
# taken from the Spanish demo by scripts/screenshots
SCREENSHOTS = [
    ("board.png", "Tablero de verificación / Verification board"),
    ("call_dialog.png", "Registrar una llamada / Call dialog"),
    ("weekly_report_phone.png", "Reporte semanal en el teléfono / Weekly report on a phone"),
    ("phone_request_dialog.png", "Dar el teléfono / A collaborator answers a phone request"),
    ("weekly_report_pdf.png", "FRE-7.5-01, página 1 / The PDF's first page"),
    ("dashboard.png", "Tablero de los gerentes / Managers dashboard"),
    ("digest.png", "Resumen semanal / Weekly digest e-mail"),
    ("board_en.png", "Verification board, in English"),
    ("call_dialog_en.png", "Call dialog, in English"),
]


def inline(text):
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<!\*)\*([^*]+)\*(?!\*)", r"<em>\1</em>", text)


def render(markdown):
    out, para, items, kind = [], [], [], None

    def flush():
        nonlocal para, items, kind
        if para:
            out.append(f"<p>{inline(' '.join(para))}</p>")
        if items:
            out.append(f"<{kind}>" + "".join(f"<li>{inline(i)}</li>" for i in items) + f"</{kind}>")
        para, items, kind = [], [], None

    for line in markdown.splitlines():
        stripped = line.strip()
        bullet = re.match(r"^[-*] (.*)", stripped)
        number = re.match(r"^\d+\. (.*)", stripped)
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            level = min(len(stripped) - len(stripped.lstrip("#")) + 2, 6)
            out.append(f"<h{level}>{inline(stripped.lstrip('#').strip())}</h{level}>")
        elif bullet or number:
            new_kind = "ul" if bullet else "ol"
            if para or (kind and kind != new_kind):
                flush()
            kind = new_kind
            items.append((bullet or number).group(1))
        elif items and line.startswith(" "):
            items[-1] += " " + stripped
        else:
            para.append(stripped)
    flush()
    return "\n".join(out)


def build():
    parts = [
        '<section class="oe_container">',
        "<h1>CRM Activity Verification (ISO 9001 PAD-7.2-05)</h1>",
    ]
    for name, title in SECTIONS:
        path = ROOT / "readme" / name
        if not path.exists():
            continue
        if title:
            parts.append(f"<h2>{title}</h2>")
        parts.append(render(path.read_text(encoding="utf-8")))
        if name == "DESCRIPTION.md":
            for image, alt in SCREENSHOTS:
                if (ROOT / "static" / "description" / image).exists():
                    parts.append(
                        f'<p><img src="{image}" alt="{alt}" style="max-width: 100%"/>'
                        f"<br/><em>{html.escape(alt)}</em></p>"
                    )
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def main():
    target = ROOT / "static" / "description" / "index.html"
    content = build()
    if "--check" in sys.argv:
        if not target.exists() or target.read_text(encoding="utf-8") != content:
            print("static/description/index.html is out of date: run scripts/gen_description.py")
            return 1
        return 0
    target.write_text(content, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
