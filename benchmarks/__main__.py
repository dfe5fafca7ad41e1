"""``python -m benchmarks [name ...]``: run the benchmarks and print their figures."""

from __future__ import annotations

import importlib
import sys

from benchmarks.report import print_figures

BENCHMARKS = {
    "client": "benchmarks.client_bench",
    "engine": "benchmarks.engine_bench",
    "market": "benchmarks.market_bench",  # the market-data client and the sandbox's GETs
    "models": "benchmarks.models_bench",
    "journal": "benchmarks.journal_bench",
    "ui": "benchmarks.ui_bench",
    "language": "benchmarks.language_bench",  # catalogue sizes, loading one, starting in each
    "market-widgets": "benchmarks.market_widgets_bench",
    "idle": "benchmarks.idle_cpu_bench",  # the whole app at rest: about 2.5 minutes
    "package": "benchmarks.package_bench",  # needs `make package` first
}


def main(names: list[str]) -> int:
    for name in names or list(BENCHMARKS):
        try:
            module = importlib.import_module(BENCHMARKS[name])
        except ModuleNotFoundError as missing:
            print(f"\n{name}: not available ({missing.name})")
            continue
        title = (module.__doc__ or name).strip().splitlines()[0]
        print_figures(title, module.run(), getattr(module, "GOALS", None))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
