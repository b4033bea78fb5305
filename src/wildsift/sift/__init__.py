"""Sift: stages that score posts (language, lexicon matches, sale cues, relevance) and the
text relevance model that learns from a study's labels."""
