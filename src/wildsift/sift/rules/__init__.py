"""Rule cues and their phrase data: sale cues, intent, origin and scam phrases, prices, the
signals beside the n-grams, and the relevance rule used before any label exists.

The phrase tables are data (``data/heads.yaml``), so a researcher adds a language by editing YAML.
Nothing here is trained; the models (``sift/models``) use these as features."""
