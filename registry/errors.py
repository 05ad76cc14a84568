from lib.errors import SikubeError


class RegistryError(SikubeError):
    pass


class ImportRefused(RegistryError):
    """An Excel import with problems in its rows: nothing was saved; `details` lists them."""

    status = 422
    code = "import_invalid"
