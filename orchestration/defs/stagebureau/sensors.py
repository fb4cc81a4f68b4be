"""Watch ``data/inbox/stagebureau/`` and request an intake-and-refresh run when files arrive."""

from orchestration.defs.intake.sensors import inbox_sensor

stagebureau_inbox = inbox_sensor("stagebureau")
