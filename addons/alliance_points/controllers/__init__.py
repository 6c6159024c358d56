from . import join, login, portal
