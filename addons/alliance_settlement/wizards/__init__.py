from . import alliance_point_pack_sell
