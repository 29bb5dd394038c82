"""The errors the command reports as one clear line, never as a traceback."""


class DigestError(Exception):
    """Bad input or settings: the message names the file (and line)."""

    exit_code = 2


class DeliveryFailed(DigestError):
    """The server or the outbox failed midway; a rerun finishes the job."""

    exit_code = 1


class AlreadyRunning(DigestError):
    """Another run holds the lock on the state file."""

    exit_code = 75  # EX_TEMPFAIL: try again later
