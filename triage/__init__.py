"""Triage engine: route a hosting customer's situation to a support channel and compose a draft."""

from .api import handle, suggest, topics, triage
from .policy import FORMAT, Policy, PolicyError

__version__ = "0.1.0"
__all__ = ["FORMAT", "Policy", "PolicyError", "handle", "suggest", "topics", "triage", "__version__"]
