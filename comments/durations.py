"""Durations in words for readers: "1 minute", "15 minutes", "1 minute 30 seconds"."""

UNITS = [("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)]


def format_duration(seconds, *, parts=2):
    """``seconds`` as words, the ``parts`` largest units that are not zero, each
    pluralised; what is left below the last unit shown is dropped ("1 hour 2 minutes"
    for 3725). Zero or less reads "0 seconds"."""
    left = max(0, int(seconds))
    words = []
    for name, size in UNITS:
        count, left = divmod(left, size)
        if count and len(words) < parts:
            words.append(f"{count} {name}{'' if count == 1 else 's'}")
        elif words:
            break  # a zero unit between two shown ones would skip a step ("1 hour 5 seconds")
    return " ".join(words) or "0 seconds"
