from lib.errors import SikubeError


class GrantsError(SikubeError):
    pass
