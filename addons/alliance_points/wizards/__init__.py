from . import alliance_points_adjust
