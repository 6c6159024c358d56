from . import login, portal
