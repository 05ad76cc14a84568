from lib.errors import SikubeError


class RegistryError(SikubeError):
    pass
