"""Which engine runs a sift's post stages, and where: the ``--engine`` flag, then the
environment (``WILDSIFT_ENGINE``, ``WILDSIFT_RAY_ADDRESS``), then the study's ``[engine]``
section, then the default (``local``). One resolved :class:`EngineChoice` is what the CLI shows
(``wildsift sift --explain``) and what :func:`post_runner` turns into the loop that runs."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

from wildsift.errors import ConfigError

ENGINE_ENV = "WILDSIFT_ENGINE"
ADDRESS_ENV = "WILDSIFT_RAY_ADDRESS"
KINDS = ("local", "ray")
Kind = Literal["local", "ray"]


@dataclass(frozen=True)
class EngineChoice:
    """The engine a run uses; ``source`` says which setting chose ``kind``."""

    kind: Kind = "local"
    address: str | None = None  # ray only: None starts (or joins, with RAY_ADDRESS) a local Ray
    concurrency: int | None = None  # ray only: stage actors (None: one per CPU of the cluster)
    num_gpus: float | None = None  # ray only: GPUs per actor for stages that declare they use one
    shards: str | None = None  # ray only: a folder every node reads; batches go as Parquet there
    source: str = "default"

    def describe(self) -> str:
        """One line for ``--explain``: the engine, where it runs, and which setting chose it."""
        if self.kind == "local":
            return f"engine: local (this machine, a process pool; from {self.source})"
        where = self.address or "a local Ray started for this run"
        actors = self.concurrency or "one per CPU"
        batches = f"Parquet shards under {self.shards}" if self.shards else "Ray's object store"
        return (f"engine: ray (address {where}; stage actors: {actors}; batches via "
                f"{batches}; image stages in actors of their own, pictures sent as bytes; "
                f"from {self.source})")


def resolve_engine(flag: str | None = None, settings: Any | None = None,
                   environ: Mapping[str, str] | None = None) -> EngineChoice:
    """The engine for a run: ``flag`` (``--engine``) > ``WILDSIFT_ENGINE`` > the study's
    ``[engine]`` settings (``settings``: an ``EngineSettings`` or None) > local.
    The address: ``WILDSIFT_RAY_ADDRESS`` > ``[engine] address``."""
    environ = os.environ if environ is None else environ
    kind, source = "local", "default"
    if settings is not None and getattr(settings, "kind", None):
        kind, source = settings.kind, "[engine] kind in wildsift.toml"
    if environ.get(ENGINE_ENV):
        kind, source = environ[ENGINE_ENV].strip().lower(), ENGINE_ENV
    if flag:
        kind, source = flag.strip().lower(), "--engine"
    if kind not in KINDS:
        raise ConfigError(f"unknown engine {kind!r} (from {source}); use one of {list(KINDS)}")
    address = environ.get(ADDRESS_ENV) or getattr(settings, "address", None)
    return EngineChoice(kind=kind, address=address or None,  # type: ignore[arg-type]
                        concurrency=getattr(settings, "concurrency", None),
                        num_gpus=getattr(settings, "num_gpus", None),
                        shards=getattr(settings, "shards", None), source=source)


def _ray_options(choice: EngineChoice) -> Any:
    from wildsift.engine.ray import RayOptions

    return RayOptions(address=choice.address, concurrency=choice.concurrency,
                      num_gpus=choice.num_gpus,
                      shards=Path(choice.shards) if choice.shards else None)


def post_runner(choice: EngineChoice | None) -> Callable[..., Any]:
    """The loop over posts for ``choice``, with :func:`~wildsift.engine.local.run_local`'s
    signature (``store, stages, *, select_by, ...``) whichever engine it is."""
    if choice is None or choice.kind == "local":
        from wildsift.engine.local import run_local

        return run_local
    from wildsift.engine.ray import run_ray

    return partial(run_ray, options=_ray_options(choice))


def image_mapper(choice: EngineChoice | None) -> Callable[..., Any]:
    """Where an image stage runs over its batches of pictures for ``choice``: in this process
    (``engine.local.map_in_process``) or in Ray actors (``engine.ray_images.map_on_ray``)."""
    if choice is None or choice.kind == "local":
        from wildsift.engine.local import map_in_process

        return map_in_process
    from wildsift.engine.ray_images import map_on_ray

    return partial(map_on_ray, options=_ray_options(choice))
