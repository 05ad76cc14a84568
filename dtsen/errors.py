from lib.errors import SikubeError


class DtsenError(SikubeError):
    pass


class ExtractRefused(DtsenError):
    """A file that cannot be read as an extract (not a spreadsheet, a wrong header, a formula):
    nothing was matched and nothing kept."""

    status = 422
    code = "extract_invalid"
