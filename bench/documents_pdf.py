"""PDF generation: documents per second and p95 per document (warm), and what each PDF
library compared adds to a Lambda layer (prints figures; not a test).

    .venv/bin/python -m bench.documents_pdf [documents] [--no-layers]

Speed: the documents service's renderer (reportlab, DejaVu embedded) on the four layouts
it generates, after one warm-up render each. If fpdf2 can be installed into a scratch
folder (PyPI), the same confirmation is rendered with it for comparison. Layer size: pip
installs each library with its dependencies for the Lambda platform (manylinux aarch64,
CPython 3.14, wheels only) into a scratch folder; unzipped and zipped sizes in MB.
"""

from __future__ import annotations

import importlib
import io
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from infra.cdk.lambda_code import LAMBDA_PLATFORM, LAMBDA_PYTHON
from services.documents.adapters.pdf import FONTS, ReportlabRenderer
from services.documents.logic import layouts
from services.documents.logic.statement_figures import Month, figures, layout
from services.documents.models.domain import Layout
from tests.unit.documents.documents_factories import (
    delivery,
    invoice,
    party,
    retirement,
    trade,
)

LIBRARIES = {"reportlab": "reportlab==5.1.0", "fpdf2": "fpdf2==2.8.9"}


def sample_layouts() -> list[Layout]:
    holder = party().parsed()
    book = [party(), trade("T-1"), *(delivery(f"D-{n}", "T-1", 10 + n) for n in range(20))]
    return [
        layouts.confirmation(trade().parsed(), holder),
        layouts.invoice(invoice(paid="1000.00").parsed(), holder),
        layouts.redemption(retirement().parsed(), holder),
        layout(figures("acc-a", Month(2026, 11), [*book, invoice()]), holder),
    ]


def timed(render: Callable[[], object], count: int) -> list[float]:
    render()
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        render()
        samples.append(time.perf_counter() - started)
    return samples


def report(name: str, samples: list[float]) -> None:
    p95 = statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)
    print(
        f"{name:<28} {len(samples) / sum(samples):8.1f} docs/s   "
        f"p50 {statistics.median(samples) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"
    )


def fpdf2_confirmation(target: Path) -> Callable[[], bytes] | None:
    """A confirmation rendered with fpdf2 (installed into `target`), or None."""
    installed = subprocess.run(  # noqa: S603 - this interpreter's pip, a pinned package
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--target", str(target), LIBRARIES["fpdf2"]],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if installed.returncode != 0:
        return None
    sys.path.insert(0, str(target))
    fpdf: Any = importlib.import_module("fpdf")
    FPDF = fpdf.FPDF

    shown = layouts.confirmation(trade().parsed(), party().parsed())

    def render() -> bytes:
        pdf = FPDF()
        pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
        pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 16)
        pdf.multi_cell(0, 8, shown.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9.5)
        for label, value in shown.facts:
            pdf.multi_cell(0, 5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    return render


def layer_size(requirement: str, workdir: Path) -> tuple[float, float] | None:
    target = workdir / requirement.split("==")[0] / "python"
    installed = subprocess.run(  # noqa: S603 - this interpreter's pip, a pinned package
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-compile", "--only-binary=:all:", "--implementation", "cp",
         "--python-version", LAMBDA_PYTHON, "--platform", LAMBDA_PLATFORM,
         "--target", str(target), requirement],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if installed.returncode != 0:
        return None
    files = [f for f in target.rglob("*") if f.is_file()]
    unzipped = sum(f.stat().st_size for f in files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            archive.write(f, f.relative_to(target.parent))
    return unzipped / 2**20, len(buffer.getvalue()) / 2**20


def main(argv: list[str]) -> int:
    count = int(next((a for a in argv if a.isdigit()), "100"))
    renderer = ReportlabRenderer()
    print(f"PDF generation, warm, {count} documents per layout (reportlab, DejaVu embedded):")
    everything: list[float] = []
    for shown in sample_layouts():
        samples = timed(partial(renderer.render, shown), count)
        everything += samples
        report(shown.title[:28], samples)
    report("all layouts", everything)
    with tempfile.TemporaryDirectory(prefix="scts-pdf-bench-") as scratch:
        other = fpdf2_confirmation(Path(scratch) / "fpdf2-host")
        if other is None:
            print("fpdf2: could not be installed for comparison (skipped)")
        else:
            report("fpdf2 confirmation", timed(other, max(10, count // 10)))
        if "--no-layers" in argv:
            return 0
        print(
            f"\nLayer size added ({LAMBDA_PLATFORM}, CPython {LAMBDA_PYTHON}, with dependencies):"
        )
        for name, requirement in LIBRARIES.items():
            size = layer_size(requirement, Path(scratch))
            shown_size = f"{size[0]:6.1f} MB unzipped  {size[1]:5.1f} MB zipped" if size else "n/a"
            print(f"  {name:<10} {shown_size}")
    fonts = sum(f.stat().st_size for f in FONTS.glob("*.ttf")) / 2**20
    print(f"  fonts (code asset, DejaVu Sans regular + bold): {fonts:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
