"""Read one share of many zorggroep workbooks in a process of its own (``read_zorggroep_many``).

    python -m orchestration.bronnen.zorggroep.read_share <workbook> ...

Writes the pickled list of submissions and ``SourceFileError``s, in order, to stdout.
"""

import pickle
import sys
from pathlib import Path

from orchestration.bronnen.zorggroep.read import _read_share

if __name__ == "__main__":
    results = _read_share([Path(arg) for arg in sys.argv[1:]])
    sys.stdout.buffer.write(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
