"""An SMS's text kept in the GSM-7 alphabet where a look-alike exists.

One character outside GSM-7 makes the whole message UCS-2, which fits 70 characters in an SMS
instead of 160. Templates are written in GSM-7 (a test holds them to it), but the values they
print may bring typographic characters: Babel writes some dates and amounts with non-breaking
spaces, and officers paste text with curly quotes and dashes. Those are replaced by the plain
characters a phone shows the same way; anything else (an emoji, a letter GSM-7 lacks) stays,
and the message is counted as UCS-2.
"""

_GSM_LOOKALIKES = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space (CLDR's, before "AM")
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
    }
)


def plain(text: str) -> str:
    """``text`` with typographic characters replaced by their GSM-7 look-alikes."""
    return text.translate(_GSM_LOOKALIKES)
