"""Watch ``data/inbox/zorggroep/`` and request an intake-and-refresh run when files arrive."""

from orchestration.defs.intake.sensors import inbox_sensor

zorggroep_inbox = inbox_sensor("zorggroep")
