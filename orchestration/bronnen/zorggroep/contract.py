"""The zorggroep contract, derived from the exchange standard (``standard.py``).

Kept as its own module because readers, the landing asset and the generator import the
contracts from here; nothing in it is defined twice.
"""

from orchestration.bronnen.zorggroep.standard import ACCEPTED_VERSIONS
from orchestration.bronnen.zorggroep.standard import SHEETS as _SHEETS
from orchestration.warehouse.contracts import TableContract

TEMPLATE_VERSIONS = ACCEPTED_VERSIONS

META: TableContract = next(s.contract for s in _SHEETS if s.layout == "veld_waarde")

# The sheets with one row per record, in template order.
SHEETS: dict[str, TableContract] = {s.name: s.contract for s in _SHEETS if s.layout == "rijen"}
