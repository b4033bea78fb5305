"""Telegram: public channels through Telethon (MTProto).

``client`` (TelegramSource, TelethonClient, build), ``mapping`` (Message -> RawPost), ``errors``.
The registry imports ``client`` only when a study uses this source, and this file imports nothing,
so a mapper can be used without the platform's SDK.
"""
