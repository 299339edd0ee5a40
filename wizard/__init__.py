from . import crm_activity_verification_call_log
from . import crm_activity_verification_customer
from . import crm_activity_verification_anomaly
from . import crm_activity_verification_anomaly_resolve
from . import crm_activity_verification_complaint
from . import crm_activity_verification_followup
from . import crm_activity_verification_evidence
from . import crm_activity_verification_reopen
