from lib.errors import SikubeError


class MentoringError(SikubeError):
    pass
