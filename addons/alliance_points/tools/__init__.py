from . import sms_gateway
