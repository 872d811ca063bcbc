"""`make bench`: runs every benchmark in this folder (or those named) and updates RESULTS.md."""

import runpy
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

if __name__ == "__main__":
    names = sys.argv[1:] or sorted(path.stem for path in BENCH_DIR.glob("*_bench.py"))
    for name in names:
        print(f"== {name}", flush=True)
        runpy.run_path(str(BENCH_DIR / f"{name}.py"), run_name="__main__")
