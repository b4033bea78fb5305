"""Mine: one module per platform connector or file format; base.py holds the Source protocol."""
