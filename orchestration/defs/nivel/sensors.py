"""Watch ``data/inbox/nivel/`` and request an intake-and-refresh run when files arrive."""

from orchestration.defs.intake.sensors import inbox_sensor

nivel_inbox = inbox_sensor("nivel")
