from lib.errors import SikubeError


class ShareOutError(SikubeError):
    """A share-out, its rule or the yearly close refused; the message says what to fix."""
