from . import join, login, portal, sms_report
