from lib.errors import SikubeError


class RegistryError(SikubeError):
    pass


class ImportRefused(RegistryError):
    """An Excel import with problems in its rows: nothing was saved; `details` lists them."""

    status = 422
    code = "import_invalid"


class StaleEdit(RegistryError):
    """An edit that started from an older version than the one saved meanwhile: nothing was
    saved; `details` holds both versions (yours and the current one, with its values)."""

    status = 409
    code = "stale_version"
