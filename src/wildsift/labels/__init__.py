"""People's labels, judged and carried: agreement between annotators, Dawid-Skene consensus per
post, gold-question skill, and round trips with Zooniverse and Label Studio.

Every function here is pure over a pandas DataFrame of labels shaped like the store's
``labels_frame`` (columns ``post_pk, field, value, annotator, created_at``; ``post_id`` when
present), so the CLI, the web app and training share one implementation and none of them needs
SQL. The module sits below ``sift`` and ``analysis`` (training reads consensus labels) and above
``privacy`` (imports pseudonymise annotators).
"""
