"""Times as every edition writes them: the WebVTT and SMIL timestamp, a player's clock, a report's."""

from __future__ import annotations


def timestamp(ms: int) -> str:
    """'00:04:05.120': WebVTT's and SMIL's clock value."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def clock(ms: int) -> str:
    """'4:05', or '1:04:05' past the hour: a chapter's start shown to a listener."""
    minutes, seconds = divmod(ms // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def precise_clock(seconds: float) -> str:
    """'4:05.120': a duration in a check's report, to the millisecond."""
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:06.3f}"
