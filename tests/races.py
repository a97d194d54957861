"""Another editor's save landing between a form's check and its own save, simulated."""


def miss_once(monkeypatch, owner, name, answer):
    """Make ``owner.name`` (a check method) answer ``answer(self, ...)`` the first time it is
    called, as if the other editor's row were not there yet, and check for real after.
    Returns the number of calls missed so far, as a one-item list."""
    real = getattr(owner, name)
    missed = [0]

    def check(self, *args, **kwargs):
        if missed[0] == 0:
            missed[0] += 1
            return answer(self, *args, **kwargs)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, check)
    return missed
