"""QR codes for what citizens scan: a permit's verification link, a QRIS payment payload."""

import io

import segno

QR_BORDER = 4
"""The quiet zone, in modules, that the QR standard asks for around the symbol."""


def qr_svg(content: str) -> bytes:
    """Return the QR as SVG with a viewBox and no fixed size, so the template can scale it."""
    out = io.BytesIO()
    _qr(content).save(out, kind="svg", border=QR_BORDER, omitsize=True)
    return out.getvalue()


def qr_png(content: str, *, scale: int = 8) -> bytes:
    """Return the QR as a black-on-white PNG, ``scale`` pixels per module."""
    out = io.BytesIO()
    _qr(content).save(out, kind="png", border=QR_BORDER, scale=scale)
    return out.getvalue()


def _qr(content: str) -> segno.QRCode:
    """A full QR symbol at level M exactly.

    Never Micro QR, which segno picks for short content and many phone cameras cannot read;
    no error-level boosting, so the level is the one specified, not a heuristic's choice.
    """
    return segno.make_qr(content, error="m", boost_error=False)
