from . import alliance_tier_override
