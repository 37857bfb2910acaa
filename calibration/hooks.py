"""What calibration adds to the apps below it, through the hooks they offer (called from CalibrationConfig.ready)."""


def register() -> None:
    pass
