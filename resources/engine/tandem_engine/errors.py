"""One exception type for every problem the engine reports to its user."""


class EngineError(Exception):
    """A problem with the user's input or environment; the message says what and where.

    `kind` becomes the OpenAI error `type` the server answers with, `status` its HTTP status,
    and `param` the request field at fault, so any EngineError turns into a response.
    """

    def __init__(self, message: str, kind: str = "invalid_request_error", status: int = 400,
                 param: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.param = param
