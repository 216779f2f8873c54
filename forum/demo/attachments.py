"""The demo's attached files, made when the demo loads and handed to the services as an
upload would be: checked by content, stored outside the database, listed under their text.

Anna's confidential question on the bone-cutting handpiece carries the protocol synopsis
an SME would share with the board: a PDF laid out by WeasyPrint, as the guide's releases
are. Its contents are the company's own plan (the demo's story), not regulatory facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from weasyprint import HTML

from forum.services import attachments
from forum.services.attachments import Upload

SYNOPSIS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Protocol synopsis</title>
<style>
  body { font-family: sans-serif; font-size: 10.5pt; margin: 2cm; }
  h1 { font-size: 16pt; } th { text-align: left; vertical-align: top; padding-right: 1em; }
  td, th { padding-bottom: 0.5em; }
</style></head>
<body>
<h1>Protocol synopsis (draft 0.3)</h1>
<p>Brianza MedTech S.r.l. &middot; confidential, shared with the competence centre's board</p>
<table>
<tr><th>Device</th><td>Piezoelectric bone-cutting handpiece for spinal surgery (about 28 kHz,
interchangeable titanium inserts, irrigation line, power lowered when the tip meets soft
tissue); not CE marked; classified by the manufacturer as IIb.</td></tr>
<tr><th>Objective</th><td>Collect clinical data on safety and performance in laminectomy for the
technical documentation.</td></tr>
<tr><th>Design</th><td>Prospective, single-arm, two sites in Milan.</td></tr>
<tr><th>Population</th><td>About 30 adults undergoing elective lumbar laminectomy.</td></tr>
<tr><th>Primary endpoint</th><td>Dural tears during the procedure.</td></tr>
<tr><th>Secondary endpoints</th><td>Cutting time, blood loss, surgeon-rated handling, adverse
events to 30 days.</td></tr>
<tr><th>Open questions for the board</th><td>The regulatory route of the study, what the
ethics committee needs from us, and whether the two sites can be covered by one
opinion.</td></tr>
</table>
</body></html>
"""


def _protocol_synopsis() -> bytes:
    return HTML(string=SYNOPSIS_HTML).write_pdf()


# The files a demo question may name in its "attachments", by file name.
DEMO_FILES = {"protocol-synopsis.pdf": _protocol_synopsis}


def demo_uploads(names: Sequence[str]) -> list[Upload]:
    """The named demo files, checked as any upload is."""
    return [attachments.check(name, BytesIO(DEMO_FILES[name]())) for name in names]
