from . import test_verification_flow
from . import test_verification_access
from . import test_verification_performance
