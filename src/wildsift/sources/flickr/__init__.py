"""Flickr: ``flickr.photos.search`` sliced by upload date (httpx).

``client`` (FlickrSource, build), ``mapping`` (photo -> RawPost), ``errors``. The registry imports
``client`` only when a study uses this source, and this file imports nothing, so a mapper can be
used without the platform's SDK.
"""
