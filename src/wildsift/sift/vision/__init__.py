"""Images and video: perceptual hashes and near-duplicates, faces, OCR (Tesseract, text regions),
video key frames, the image model and its embeddings, and what a post's images say.

These work per distinct picture (by sha256); the image stages that store their outputs are in
``sift/stages`` and run first in ``wildsift sift`` (``sift/image_pipeline.py``)."""
