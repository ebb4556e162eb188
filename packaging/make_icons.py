"""Render resources/app-icon.svg to the PNG and the Windows .ico the packaged program uses.

Run after changing the SVG: ``python packaging/make_icons.py``. The .ico holds the sizes
Windows asks for (16 to 256 pixels: title bar, taskbar, Start menu, Explorer's views), each
as a PNG image, which every Windows since Vista reads.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 96, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file: its header, one directory entry per size, then each PNG as it is."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = RESOURCES / "app-icon.svg"
    images = {size: render_png(svg, size) for size in ICO_SIZES}
    (RESOURCES / "app-icon.ico").write_bytes(ico_bytes(images))
    (RESOURCES / "app-icon.png").write_bytes(images[256])
    print(f"wrote {RESOURCES / 'app-icon.ico'} ({', '.join(map(str, ICO_SIZES))} px) and .png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
