"""The script spark-submit runs: ``spark-submit [spark options] submit.py INPUT OUTPUT [options]``.

spark-submit takes a Python application only as a ``.py`` file, so this file stands for the
``alliancegraph spark-extract`` command (same arguments). Without ``--master`` the job keeps
spark-submit's. Print its path with ``python -m alliancegraph.batch.submit``.
"""

from __future__ import annotations

import sys


def main() -> None:
    from alliancegraph.cli import app  # this file is an entry point, like the console script

    app(["spark-extract", *sys.argv[1:]], prog_name="alliancegraph")


if __name__ == "__main__":
    if len(sys.argv) == 1 and __package__:  # `python -m alliancegraph.batch.submit`: where is this file?
        print(__file__)
    else:
        main()
