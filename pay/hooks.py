"""What pay adds to the pages of the apps below it, through the hooks they offer (called from PayConfig.ready).

cycles and organizations never import pay; each offers a registry that this function fills.
"""


def register() -> None:
    pass
