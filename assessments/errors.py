from lib.errors import SikubeError


class AssessmentError(SikubeError):
    pass
