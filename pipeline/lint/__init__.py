"""Plain-language checks for patient information: readability figures and warnings.

`pipeline check` (and `pipeline validate --lint`) run them; see README, "Plain-language checks".
"""
