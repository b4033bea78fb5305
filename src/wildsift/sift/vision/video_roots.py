"""The folders of imported files whose posts name local videos, remembered per study.

``wildsift import`` of an export that names local video files notes the export's folder here
(``media/local-roots.txt``); ``wildsift sift`` takes key frames of the videos found under those
folders (:func:`wildsift.sift.vision.video.local_files`, which refuses ``..`` and symbolic links).
"""

from __future__ import annotations

from pathlib import Path

ROOTS_FILE = "local-roots.txt"  # under the study's media/: folders of imported local videos


def remember_root(media_dir: Path | str, root: Path | str) -> None:
    """Note a folder whose local videos posts name, for :func:`local_roots`."""
    path = Path(media_dir) / ROOTS_FILE
    known = local_roots(media_dir)
    folder = Path(root).resolve()
    if folder in known:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{folder}\n")


def local_roots(media_dir: Path | str) -> list[Path]:
    """The folders of imported files with local videos, oldest first (those that still exist).
    ``sift.video.local_files(*local_roots(study.media_dir))`` resolves their videos."""
    path = Path(media_dir) / ROOTS_FILE
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Path(line) for line in dict.fromkeys(lines) if line.strip() and Path(line).is_dir()]
