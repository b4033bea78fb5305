"""The "faces" image stage: how many faces each stored image shows.

It fills ``images.faces`` (the count), so an analyst and the web app know which images hold
people; the blurring itself happens when an image leaves wildsift (``privacy/faces.py``,
``blurred_copy``) or, with ``blur_faces = "always"``, before it is stored. Detection runs on the
cleaned stored file, never on the original download.
"""

from __future__ import annotations

import pandas as pd
from PIL import Image, UnidentifiedImageError

from wildsift.privacy.faces import FaceDetector, make_detector

UNREADABLE = -1  # ``faces`` of a stored file that could not be opened (so it is not re-tried)


class FaceStage:
    """An image stage (``engine/stage.py``, over pictures) that counts faces per image."""

    name = "faces"
    fills = ("faces",)
    scores: tuple[str, ...] = ()
    todo_column = "faces"
    over = "images"
    reads = ("sha256", "path")
    adds = fills

    def __init__(self, detector: FaceDetector | None = None):
        self.detector = detector if detector is not None else make_detector("haar")

    @property
    def version(self) -> str:
        return self.detector.version

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        counts, errors = [], []
        for path in batch["path"]:
            try:
                with Image.open(path) as image:
                    image.load()
                    counts.append(len(self.detector.detect(image)))
                    errors.append(None)
            except (OSError, UnidentifiedImageError, ValueError) as error:
                counts.append(UNREADABLE)
                errors.append(f"{type(error).__name__}: {error}")
        return pd.DataFrame({"sha256": batch["sha256"].tolist(), "faces": counts,
                             "error": errors})
