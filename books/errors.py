from lib.errors import SikubeError


class BooksError(SikubeError):
    pass


class OverdraftError(BooksError):
    code = "overdraft"


class ClosedPeriodError(BooksError):
    code = "closed_period"
