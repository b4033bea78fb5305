"""Which connector serves which ``[[sources]] type``: the built-ins, registered one way.

Each connector module has ``build(settings, credentials, *, dry_run=False, **options) -> Source``.
Modules are imported only when a source of their type is used, so a study that mines Mastodon
never loads Telethon or the Google client. ``dry_run`` builds a source that can plan calls
(``describe``) without credentials or connections.
"""

from __future__ import annotations

from importlib import import_module

from wildsift.errors import ConfigError
from wildsift.sources.base import Source
from wildsift.sources.credentials import Credentials

BUILDERS: dict[str, str] = {
    "mastodon": "wildsift.sources.mastodon.client",
    "bluesky": "wildsift.sources.bluesky.client",
    "jetstream": "wildsift.sources.bluesky.jetstream",
    "ebay": "wildsift.sources.ebay.client",
    "flickr": "wildsift.sources.flickr.client",
    "youtube": "wildsift.sources.youtube.client",
    "x": "wildsift.sources.x.client",
    "reddit": "wildsift.sources.reddit.client",
    "telegram": "wildsift.sources.telegram.client",
    "vk": "wildsift.sources.vk.client",
    "meta": "wildsift.sources.meta.client",
    "weibo": "wildsift.sources.weibo.client",
}


def build_source(settings, *, study_root=None, credentials: Credentials | None = None,
                 dry_run: bool = False, **options) -> Source:
    """The connector for one ``[[sources]]`` entry."""
    module_name = BUILDERS.get(settings.type)
    if module_name is None:
        raise ConfigError(f"source '{settings.name}': type {settings.type!r} has no connector "
                          f"yet (available: {', '.join(sorted(BUILDERS))})")
    try:
        module = import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"source '{settings.name}' ({settings.type}) needs the package "
                          f"'{exc.name}': pip install 'wildsift[sources]'") from None
    credentials = credentials or Credentials(settings, study_root)
    return module.build(settings, credentials, dry_run=dry_run, **options)
