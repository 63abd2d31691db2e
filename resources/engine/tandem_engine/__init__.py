"""Tandem's local engine: serves and fine-tunes Llama-family checkpoints with torch only.

Needs nothing beyond the standard library, torch and jinja2, so it runs wherever Debian's
python3-torch does. Run it as `python3 -m tandem_engine <serve|train|info>`.
"""

__version__ = "0.1.0"
