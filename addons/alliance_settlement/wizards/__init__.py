from . import alliance_dashboard, alliance_point_pack_sell
