"""Meta: the Meta Content Library (MCL) of Facebook and Instagram, and CrowdTangle's names.

``client`` (MclSource, build: drives the ``metacontentlibraryapi`` client inside Meta's clean
room), ``mapping`` (an MCL record -> RawPost, shared by the live source and the importer),
``files`` (MCL result files as researchers save them), ``own_names`` (a page's or profile's own
names in its text), ``errors``. This file imports nothing, so a mapper loads without the client.
"""
