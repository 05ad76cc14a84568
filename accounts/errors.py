from lib.errors import SikubeError


class AccountsError(SikubeError):
    pass
