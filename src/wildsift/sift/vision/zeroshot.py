"""Zero-shot image backend: open_clip (CLIP, OpenCLIP, BioCLIP weights) with prompts from the
lexicon. Optional: ``pip install 'wildsift[zeroshot]'``. No weights ship on PyPI, so the model
comes from a local folder or, when online, the Hugging Face hub:

- ``OpenClipZeroShot("/models/bioclip")``: a folder holding ``open_clip_config.json`` and the
  weights (``open_clip_model.safetensors`` / ``open_clip_pytorch_model.bin``), the layout of
  the hub repositories (``imageomics/bioclip``, ``laion/CLIP-ViT-B-32-laion2B-s34B-b79K``);
- ``OpenClipZeroShot("hf-hub:imageomics/bioclip")``: fetched from the hub (online only);
- ``OpenClipZeroShot("ViT-B-32", pretrained="/models/vit-b-32.safetensors")``: a built-in
  architecture with a weights file (or an open_clip tag such as ``laion2b_s34b_b79k``).

It implements :class:`wildsift.sift.vision.image_model.ImageModel`: ``embed`` gives the normalised
image embedding, ``labels`` the prompts' softmax. ``rule`` turns the prompt probabilities into
relevance (the mass of the wildlife prompts) and a product, with no labels needed; a probe
trained on its embeddings (sift/models/image_probe.py) replaces the rule as for the default model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wildsift.errors import ModelError

# the lexicon's product keys -> the study's image_product vocabulary (sift/models/image_probe.py)
PRODUCT_OF = {"ivory": "ivory_carving", "tusk": "ivory_carving", "bangle": "ivory_carving",
              "horn": "horn", "powder": "horn", "scales": "scales", "skin": "skin",
              "live": "live_animal"}
NEGATIVES = ("a photo of a car", "a photo of a person", "a photo of food on a plate",
             "a screenshot of text", "a photo of plastic jewellery", "a photo of a house",
             "a cartoon drawing", "a photo of a pet dog or cat", "a photo of a phone")
INSTALL = ("install the zero-shot extra: pip install 'wildsift[zeroshot]' (open-clip-torch "
           "needs torchvision; see docs/images.md)")


@dataclass(frozen=True)
class Prompt:
    label: str  # "pangolin:scales", "other:a photo of a car"
    text: str
    product: str | None  # the image_product it stands for; None for negatives


def lexicon_prompts(lexicon, groups: Sequence[str] | None = None) -> list[Prompt]:
    """Prompts for the lexicon's taxon groups and their products, plus generic negatives."""
    prompts: list[Prompt] = []
    for group in groups or lexicon.groups:
        taxon = lexicon.taxa.get(group)
        names = taxon.names(["en"]) if taxon is not None else []
        name = names[0] if names else group
        products = lexicon.products(group)
        for key, by_lang in products.items():
            terms = by_lang.get("en") or []
            if not terms:
                continue
            term = next((t for t in terms if any(n.lower() in t.lower() for n in names)),
                        terms[0])
            product = PRODUCT_OF.get(key) or (
                "ivory_carving" if "ivory" in term else "horn" if "horn" in term else "other")
            prompts.append(Prompt(f"{group}:{key}", f"a photo of {term}", product))
        if "live" not in products:
            prompts.append(Prompt(f"{group}:live", f"a photo of a live {name}", "live_animal"))
    prompts += [Prompt(f"other:{text}", text, None) for text in NEGATIVES]
    return prompts


def _open_clip():
    try:
        import open_clip
    except (ImportError, RuntimeError, OSError) as error:  # torchvision missing or broken
        raise ModelError(f"the zero-shot backend needs open_clip: {INSTALL} ({error})") from error
    return open_clip


class OpenClipZeroShot:
    """An open_clip model as an ImageModel whose classes are the prompts."""

    def __init__(self, model_name: str, pretrained: str | None = None, *,
                 prompts: Sequence[Prompt] | None = None, device: str | None = None,
                 batch_size: int = 32):
        from wildsift.sift.vision.image_model import import_torch, pick_device, use_all_cores

        torch = import_torch()
        open_clip = _open_clip()
        self.device = pick_device(device)
        if self.device == "cpu":
            use_all_cores(torch)
        local = Path(model_name)
        name = f"local-dir:{local}" if local.is_dir() else model_name
        if local.is_dir() and not (local / "open_clip_config.json").exists():
            raise ModelError(f"{local} has no open_clip_config.json: give the folder of an "
                             "open_clip model as saved on the hub (config and weights)")
        try:
            model, preprocess = open_clip.create_model_from_pretrained(
                name, pretrained=pretrained, device=self.device)
        except (FileNotFoundError, RuntimeError, ValueError) as error:
            raise ModelError(f"cannot load the open_clip model {model_name!r} "
                             f"(pretrained={pretrained!r}): {error}. Offline, give a local "
                             "folder or weights file") from error
        self._torch, self._model, self._preprocess = torch, model.eval(), preprocess
        self._tokenizer = open_clip.get_tokenizer(name)
        self.batch_size = batch_size
        self.name = f"open_clip:{model_name}"
        self.version = f"open_clip-{_fingerprint(model)}"
        self.prompts = list(prompts) if prompts is not None else self._default_prompts()
        self.class_names = [prompt.label for prompt in self.prompts]
        said = "\n".join(f"{p.label}\t{p.text}\t{p.product}" for p in self.prompts)
        self.rule_name = f"zeroshot-rule-{hashlib.sha256(said.encode()).hexdigest()[:8]}"
        self._text = self._encode_text([prompt.text for prompt in self.prompts])
        self.embed_dim = int(self._text.shape[1])

    @staticmethod
    def _default_prompts() -> list[Prompt]:
        from wildsift.lexicon.lexicon import Lexicon

        return lexicon_prompts(Lexicon.default())

    def _encode_text(self, texts: Sequence[str]) -> np.ndarray:
        with self._torch.inference_mode():
            tokens = self._tokenizer(list(texts)).to(self.device)
            features = self._model.encode_text(tokens, normalize=True)
        return features.float().cpu().numpy()

    def embed(self, images) -> np.ndarray:
        from wildsift.sift.vision.image_model import batches, open_rgb

        out = []
        with self._torch.inference_mode():
            for chunk in batches(images, self.batch_size):
                pixels = self._torch.stack([self._preprocess(open_rgb(image, 512))
                                            for image in chunk]).to(self.device)
                out.append(self._model.encode_image(pixels, normalize=True).float().cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, self.embed_dim), np.float32)

    def classify_embeddings(self, embeddings: np.ndarray) -> np.ndarray:
        """Softmax over the prompts of (temperature x cosine similarity)."""
        scale = float(self._model.logit_scale.exp().item())
        logits = scale * np.asarray(embeddings, np.float32) @ self._text.T
        logits -= logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        return weights / weights.sum(axis=1, keepdims=True)

    def labels(self, images, top_k: int = 5) -> list[list[tuple[str, float]]]:
        from wildsift.sift.vision.image_model import top_labels

        return top_labels(self.classify_embeddings(self.embed(images)), self.class_names, top_k)

    def rule(self, probabilities: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
        """Relevance = the probability of the wildlife prompts; product = the best one's."""
        wildlife = np.array([prompt.product is not None for prompt in self.prompts])
        relevance = probabilities[:, wildlife].sum(axis=1)
        best = np.where(wildlife, probabilities, -1.0).argmax(axis=1)
        return relevance, [self.prompts[i].product if r >= 0.5 else None
                           for i, r in zip(best, relevance)]


def _fingerprint(model) -> str:
    """A short hash of the weights: two folders with the same weights share embeddings."""
    digest = hashlib.sha256()
    for key, tensor in sorted(model.state_dict().items()):
        digest.update(key.encode())
        digest.update(tensor.detach().float().cpu().numpy().tobytes()[:4096])
    return digest.hexdigest()[:12]
