"""The synthetic demo study: a labelled corpus generator (marked synthetic everywhere)."""
