from lib.errors import SikubeError


class MonitoringError(SikubeError):
    pass
