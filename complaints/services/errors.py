"""Domain errors: a refused move, with a reason a complaints officer can read."""


class DomainError(Exception):
    """An action the policy or the case's state does not allow. Nothing was changed."""

    code = "refused"

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class TransitionRefused(DomainError):
    code = "transition_not_allowed"


class PolicyGuardFailed(DomainError):
    code = "policy_guard"


class StaleCase(DomainError):
    """Someone else changed the case since this user loaded it."""

    code = "stale"
