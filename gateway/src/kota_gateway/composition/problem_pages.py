"""A page for each problem code (``/problems/<code>``), where a problem's ``type`` points.

Every error answer of the suite is problem+json whose ``type`` ends in ``/problems/<code>``;
a developer who follows it lands here and reads what the code means, in Bahasa Indonesia
first and then in English, and what a client should do about it. The codes are those of
``problem_catalogue.json`` beside this module, generated from every `Problem` class of the
shared library and of each service (``uv run python -m kota_dev.problem_catalogue``; a test
fails when it is stale). A code the framework makes from an HTTP status (``method_not_allowed``)
gets a page for that status.
"""

import functools
import json
import re
from dataclasses import dataclass
from html import escape
from http import HTTPStatus
from importlib.resources import files
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from kota_shared.problems import NotFound

CATALOGUE_FILE = "problem_catalogue.json"
EVERY_SERVICE = "all"
"""In ``answered_by``: a problem of the shared library, which any service may answer."""
router = APIRouter(include_in_schema=False)

ADVICE: dict[int, tuple[str, str]] = {
    400: (
        "Perbaiki permintaan sesuai keterangan, lalu kirim ulang.",
        "Correct the request as the detail says, then send it again.",
    ),
    401: (
        "Masuk kembali atau minta token baru, lalu ulangi permintaan.",
        "Sign in again or obtain a new token, then repeat the request.",
    ),
    403: (
        "Akun atau klien ini tidak berhak; jangan diulang tanpa izin yang sesuai.",
        "This account or client is not entitled; do not retry without the right permission.",
    ),
    404: (
        "Periksa alamat atau pengenalnya; data yang bukan milik Anda juga tampak tidak ada.",
        "Check the address or the id; records that are not yours also appear not to exist.",
    ),
    409: (
        "Muat ulang data terbaru; permintaan bertentangan dengan keadaannya saat ini.",
        "Reload the record; the request conflicts with its current state.",
    ),
    412: (
        "Data berubah sejak Anda membacanya: baca lagi, lalu putuskan ulang.",
        "The record changed since you read it: read it again, then decide again.",
    ),
    413: ("Kirim isi yang lebih kecil.", "Send a smaller body."),
    415: (
        "Kirim dengan Content-Type yang diterima (misalnya application/json).",
        "Send it with an accepted Content-Type (e.g. application/json).",
    ),
    422: (
        "Perbaiki isian yang disebut di errors[], lalu kirim ulang.",
        "Correct the fields named in errors[], then send it again.",
    ),
    429: (
        "Tunggu selama Retry-After (detik), lalu coba lagi.",
        "Wait for Retry-After (seconds), then try again.",
    ),
    503: (
        "Sementara: coba lagi setelah Retry-After (detik), dengan Idempotency-Key yang sama.",
        "Temporary: try again after Retry-After (seconds), with the same Idempotency-Key.",
    ),
    504: (
        "Layanan tidak menjawab tepat waktu; ulangi permintaan yang aman diulang.",
        "The service did not answer in time; repeat requests that are safe to repeat.",
    ),
}


@dataclass(frozen=True)
class ProblemType:
    code: str
    status: int
    title_id: str
    title_en: str
    description_en: str = ""
    answered_by: tuple[str, ...] = ()

    @classmethod
    def of(cls, entry: dict[str, Any]) -> "ProblemType":
        return cls(
            code=entry["code"],
            status=entry["status"],
            title_id=entry["title_id"],
            title_en=entry["title_en"],
            description_en=entry["description_en"],
            answered_by=tuple(entry["answered_by"]),
        )


@functools.cache
def problem_types() -> dict[str, ProblemType]:
    """The generated catalogue, by code."""
    text = (files(__package__) / CATALOGUE_FILE).read_text(encoding="utf-8")
    return {entry["code"]: ProblemType.of(entry) for entry in json.loads(text)}


def _status_code(status: HTTPStatus) -> str:
    """The code `kota_shared.problems` gives a status that has no class of its own."""
    return re.sub(r"[^a-z0-9]+", "_", status.phrase.lower()).strip("_")


def problem_type(code: str) -> ProblemType | None:
    known = problem_types().get(code)
    if known is not None:
        return known
    for status in HTTPStatus:
        if status >= 400 and _status_code(status) == code:
            return ProblemType(
                code=code, status=status, title_id=status.phrase, title_en=status.phrase
            )
    return None


_STYLE = """<style>
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1b1b1b; }
code { background: #f2f2f2; padding: 0 .25rem; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left;
         vertical-align: top; }
section { margin-top: 1.5rem; }
.status { font-weight: bold; }
</style>"""


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{_STYLE}
</head>
<body>
{body}
</body>
</html>
""",
        headers={"Content-Language": "id, en"},
    )


def _advice(status: int) -> tuple[str, str]:
    return ADVICE.get(
        status,
        ("Lihat keterangan (detail) pada jawaban.", "See the answer's detail."),
    )


def _service_names(answered_by: tuple[str, ...], *, every: str) -> list[str]:
    return [every if name == EVERY_SERVICE else name for name in answered_by] or ["—"]


@router.get("/problems", response_class=HTMLResponse)
async def problem_index() -> HTMLResponse:
    rows = "\n".join(
        f'<tr><td><a href="/problems/{escape(p.code)}"><code>{escape(p.code)}</code></a></td>'
        f'<td class="status">{p.status}</td><td>{escape(p.title_id)}</td>'
        f'<td lang="en">{escape(p.title_en)}</td></tr>'
        for p in problem_types().values()
    )
    return _page(
        "Kode masalah — Problem codes",
        f"""<h1>Kode masalah Kota LIVE <small lang="en">/ Kota LIVE problem codes</small></h1>
<p>Setiap jawaban galat adalah <code>application/problem+json</code> (RFC 9457) dengan
<code>type</code>, <code>title</code>, <code>status</code>, <code>code</code> yang tetap, dan bila
ada <code>detail</code> serta <code>errors[]</code> (isian yang tidak valid). Program sebaiknya
bertindak berdasarkan <code>code</code>, bukan teks judulnya.</p>
<p lang="en">Every error answer is <code>application/problem+json</code> (RFC 9457) with
<code>type</code>, <code>title</code>, <code>status</code>, a stable <code>code</code>, and where
relevant <code>detail</code> and <code>errors[]</code> (the invalid fields). Programs should act
on <code>code</code>, not on the title's text.</p>
<table>
<thead><tr><th>code</th><th>status</th><th>Bahasa Indonesia</th><th lang="en">English</th></tr>
</thead>
<tbody>
{rows}
</tbody>
</table>""",
    )


@router.get("/problems/{code}", response_class=HTMLResponse)
async def problem_page(code: str) -> HTMLResponse:
    problem = problem_type(code)
    if problem is None:
        raise NotFound()
    advice_id, advice_en = _advice(problem.status)
    phrase = HTTPStatus(problem.status).phrase
    services_id = ", ".join(_service_names(problem.answered_by, every="semua layanan"))
    services_en = ", ".join(_service_names(problem.answered_by, every="every service"))
    description = (
        f'<p lang="en">{escape(problem.description_en)}</p>' if problem.description_en else ""
    )
    return _page(
        f"{problem.code} — Kota LIVE",
        f"""<p><a href="/problems">Semua kode / All codes</a></p>
<h1><code>{escape(problem.code)}</code></h1>
<p class="status">HTTP {problem.status} {escape(phrase)}</p>
<section lang="id">
<h2>Bahasa Indonesia</h2>
<p>{escape(problem.title_id)}</p>
<p><strong>Yang perlu dilakukan:</strong> {escape(advice_id)}</p>
<p>Dijawab oleh: {escape(services_id)}</p>
</section>
<section lang="en">
<h2>English</h2>
<p>{escape(problem.title_en)}</p>
{description}
<p><strong>What to do:</strong> {escape(advice_en)}</p>
<p>Answered by: {escape(services_en)}</p>
</section>""",
    )
