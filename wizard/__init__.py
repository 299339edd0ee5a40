from . import crm_activity_verification_call_log
from . import crm_activity_verification_customer
