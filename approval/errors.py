from lib.errors import SikubeError


class ApprovalError(SikubeError):
    """A step of the reporting chain refused, with the Indonesian sentence saying what to do."""


class OutOfTurnError(ApprovalError):
    code = "out_of_turn"
