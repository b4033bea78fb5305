"""The web app: labelling by several people per post, review, adjudication, accounts.

``create_app(study)`` in :mod:`wildsift.web.app`; ``wildsift web`` serves it (cli/web.py).
"""
