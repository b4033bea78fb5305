"""Importing a Zooniverse classification export in the app (researchers and admins).

The same reader as ``wildsift label import --format zooniverse``
(:func:`wildsift.labels.zooniverse.read_classifications`): ``user_ip`` is never read, user
names and ids become keyed pseudonyms before anything is stored, answers go through the
mapping (wildsift's own when none is uploaded: ``T0`` is relevant, Yes/No). The file comes
only as an upload (POST with the session's CSRF token, at most ``MAX_UPLOAD`` bytes, checked
while it arrives by ``app.BodyLimit``); the app never fetches a URL. Labels and their
'import' rows of the label log are written in one transaction; then the queue is rebuilt (a
few seconds at 100k posts) so imported answers count toward retirement.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from wildsift.errors import InputError
from wildsift.labels.mapping import default_mapping, load_mapping
from wildsift.labels.zooniverse import read_classifications
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.store import web_labels
from wildsift.web.context import ctx
from wildsift.web.pages import render

router = APIRouter()
MAX_UPLOAD = 50 * 1024 * 1024  # bytes of a whole upload; larger files: the command line
MAPPING_SUFFIXES = (".toml", ".yaml", ".yml")
SHOWN_PROBLEMS = 20


@router.get("/import")
def import_page(request: Request) -> Response:
    return render(request, "import.html", result=None, error=None,
                  limit_mb=MAX_UPLOAD // (1024 * 1024))


async def _saved(upload: UploadFile, folder: Path, name: str) -> Path:
    """The upload written to ``folder/name``, refused when it is larger than the limit."""
    path = folder / name
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD:
                raise InputError(f"{upload.filename}: larger than {MAX_UPLOAD // 2**20} MiB; "
                                 "use 'wildsift label import --format zooniverse' instead")
            out.write(chunk)
    return path


def _named(message: str, folder: str, upload: UploadFile, mapping) -> str:
    message = message.replace(f"{folder}/classifications.csv", upload.filename or "the file")
    name = getattr(mapping, "filename", None) or "the mapping"
    for suffix in MAPPING_SUFFIXES:
        message = message.replace(f"{folder}/mapping{suffix}", name)
    return message


@router.post("/import/zooniverse")
async def import_zooniverse(request: Request) -> Response:
    context = ctx(request)
    form = await request.form()
    upload, mapping_upload = form.get("file"), form.get("mapping")
    limit_mb = MAX_UPLOAD // (1024 * 1024)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return render(request, "import.html", status_code=400, result=None, limit_mb=limit_mb,
                      error="field 'file': choose the classification export (a .csv file)")
    with tempfile.TemporaryDirectory(prefix="wildsift-import-") as folder:
        try:
            path = await _saved(upload, Path(folder), "classifications.csv")
            mapping = default_mapping(["relevant"], tool="zooniverse")
            if isinstance(mapping_upload, UploadFile) and mapping_upload.filename:
                suffix = Path(mapping_upload.filename).suffix.lower()
                if suffix not in MAPPING_SUFFIXES:
                    raise InputError(f"field 'mapping': {mapping_upload.filename} is not a "
                                     ".toml or .yaml file")
                mapping = load_mapping(await _saved(mapping_upload, Path(folder),
                                                    "mapping" + suffix))
            found = read_classifications(path, mapping, Pseudonymizer(context.study.secret))
        except (InputError, UnicodeDecodeError, csv.Error) as exc:
            # messages name the temporary files: give the uploaded files' names instead
            text = _named(str(exc), folder, upload, mapping_upload) \
                if isinstance(exc, InputError) else \
                f"{upload.filename}: not a CSV file in UTF-8 ({type(exc).__name__}: {exc})"
            return render(request, "import.html", status_code=400, result=None,
                          limit_mb=limit_mb, error=text)
        problems = [_named(p, folder, upload, mapping_upload) for p in found.problems]
    stored, missing = web_labels.write_imported(context.study.store.engine, found.labels)
    if stored:  # the imported answers count toward retirement from the next post on
        context.queue.build()
    result = {"file": upload.filename, "read": len(found.labels), "stored": stored,
              "missing": len(missing), "problems": len(problems),
              "shown": problems[:SHOWN_PROBLEMS],
              "skipped": sorted(found.skipped.items())}
    return render(request, "import.html", result=result, error=None, limit_mb=limit_mb)
