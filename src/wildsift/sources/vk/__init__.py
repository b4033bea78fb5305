"""VK: ``newsfeed.search`` through vk_api.

``client`` (VkSource, build), ``mapping`` (item -> RawPost), ``errors``. The registry imports
``client`` only when a study uses this source, and this file imports nothing, so a mapper can be
used without the platform's SDK.
"""
